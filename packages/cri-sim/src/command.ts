import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { type Logger, pino } from "pino";
import { serveCriSim } from "./serve.js";
import { RUNTIME_NAME } from "./service/runtime-service.js";
import { parseIpv4Cidr } from "./state/ip-pool.js";
import { DEFAULT_POD_CIDR } from "./state/runtime-state.js";

/** Where `kubekit cri-sim` listens unless told otherwise. */
export const DEFAULT_CRI_SIM_ENDPOINT = "unix:///run/kubekit/cri-sim.sock";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface CriSimCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** Options of {@link createCriSimCommand}; tests pass their own. */
export interface CriSimCommandOptions {
  /** Ends the server when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
}

interface CriSimFlags {
  /** The socket path (the flag's parser took `unix://` off). */
  listen: string;
  podCidr: string;
  missingImage: string[];
  preloadImage: string[];
}

/** Parses `unix:///path` (or a bare absolute path) into a socket path. */
export function parseUnixEndpoint(endpoint: string): string {
  const path = endpoint.startsWith("unix://") ? endpoint.slice("unix://".length) : endpoint;
  if (!isAbsolute(path)) {
    throw new InvalidArgumentError(`expected unix:///absolute/path, got "${endpoint}"`);
  }
  return path;
}

function parseCidrFlag(cidr: string): string {
  try {
    parseIpv4Cidr(cidr);
    return cidr;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Resolves on the first of SIGTERM and SIGINT, or when `signal` aborts. */
async function untilShutdown(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await once(signal, "abort");
    return;
  }
  const stop = new AbortController();
  await Promise.race([
    once(process, "SIGTERM", { signal: stop.signal }),
    once(process, "SIGINT", { signal: stop.signal }),
  ]);
  stop.abort(); // drop the listener that did not fire
}

/**
 * `kubekit cri-sim`: serves a simulated CRI runtime on a unix socket until
 * SIGTERM, for a kubelet's `--container-runtime-endpoint`.
 */
export function createCriSimCommand(options: CriSimCommandOptions = {}): CriSimCommand {
  return {
    name: "cri-sim",
    summary: "serve a SIMULATED CRI runtime (nothing runs) on a unix socket",
    configure(command) {
      command
        .option(
          "--listen <endpoint>",
          `unix socket to serve CRI on (default "${DEFAULT_CRI_SIM_ENDPOINT}")`,
          parseUnixEndpoint,
          parseUnixEndpoint(DEFAULT_CRI_SIM_ENDPOINT),
        )
        .option("--pod-cidr <cidr>", "IPv4 CIDR pod IPs come from", parseCidrFlag, DEFAULT_POD_CIDR)
        .option("--missing-image <ref>", "make pulls of this image fail (repeatable)", collect, [])
        .option("--preload-image <ref>", "hold this image from the start (repeatable)", collect, [])
        .action(async (flags: CriSimFlags) => {
          const socketPath = flags.listen; // already a path: parseUnixEndpoint ran on the flag
          const logger = options.logger ?? pino({ name: RUNTIME_NAME });
          await mkdir(dirname(socketPath), { recursive: true });
          const server = await serveCriSim({
            socketPath,
            podCidr: flags.podCidr,
            missingImages: flags.missingImage,
            preloadedImages: flags.preloadImage,
          });
          logger.info(
            { endpoint: `unix://${socketPath}`, podCidr: flags.podCidr },
            "serving a simulated CRI runtime: containers are reported running, nothing runs",
          );
          await untilShutdown(options.shutdown);
          logger.info("shutting down");
          await server.close();
          logger.info(server.sim.state.counts(), "stopped");
        });
    },
  };
}

/** `kubekit cri-sim`, stopped by SIGTERM or SIGINT. */
export const criSimCommand: CriSimCommand = createCriSimCommand();
