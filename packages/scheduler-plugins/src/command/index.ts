/**
 * `kubekit scheduler`: kube-scheduler's command line over
 * {@link runScheduler}: flags, plugin packages, the configuration file and
 * the kubeconfig in; SIGTERM or SIGINT out.
 */

import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { loadKubeconfigFile, restConfigFromKubeconfig } from "@kubekit/client";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import { parseSchedulerConfiguration, type SchedulerConfiguration } from "../config/parse.js";
import type { Registry } from "../framework/registry.js";
import { registerPluginPackages } from "../loading/load-plugin-package.js";
import { inTreeArgsValidators } from "../plugins/args-validators.js";
import { inTreeRegistry } from "../plugins/registry.js";
import {
  DEFAULT_SCHEDULER_LEADER_ELECTION as LEADER,
  runScheduler,
} from "../runner/run-scheduler.js";
import { collectList, parseBool, parseDurationMs, parsePort } from "./flags.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface SchedulerCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** Options of {@link createSchedulerCommand}; tests pass their own. */
export interface SchedulerCommandOptions {
  /** Ends the scheduler when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
  /** Told the health server's URL once it listens (tests read it). */
  onServing?: (url: string) => void;
  /** More fields for the plugins' Handle (an embedder's own sources for its plugins). */
  handleExtras?: Record<string, unknown>;
}

interface SchedulerFlags {
  kubeconfig: string;
  config?: string;
  pluginPackage?: string[];
  leaderElect: boolean;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  securePort: number;
  bindAddress: string;
}

/** Resolves on the first of SIGTERM and SIGINT, or when `signal` aborts. */
async function untilShutdown(signal: AbortSignal | undefined, stopped: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onStopped = (): void => stop.abort();
  stopped.addEventListener("abort", onStopped, { once: true });
  try {
    await Promise.race([
      ...(signal
        ? [signal.aborted ? Promise.resolve() : once(signal, "abort", { signal: stop.signal })]
        : [
            once(process, "SIGTERM", { signal: stop.signal }),
            once(process, "SIGINT", { signal: stop.signal }),
          ]),
      once(stop.signal, "abort"),
    ]);
  } catch {
    // The race's losers reject with AbortError once `stop` aborts.
  } finally {
    stopped.removeEventListener("abort", onStopped);
    stop.abort(); // drop the listeners that did not fire
  }
}

async function loadConfig(
  file: string | undefined,
  registry: Registry,
): Promise<SchedulerConfiguration | undefined> {
  if (file === undefined) return undefined;
  return parseSchedulerConfiguration(await readFile(file, "utf8"), {
    registry,
    argsValidators: inTreeArgsValidators(),
  });
}

/**
 * `kubekit scheduler`: watches the cluster through the apiserver named by
 * `--kubeconfig` and binds pending pods to nodes until SIGTERM (or, with
 * leader election, until it loses the lease: then it exits with an error,
 * as upstream does, so a supervisor restarts it as a follower).
 */
export function createSchedulerCommand(options: SchedulerCommandOptions = {}): SchedulerCommand {
  return {
    name: "scheduler",
    summary: "run the scheduler: bind pending pods to nodes through the apiserver",
    configure(command) {
      command
        .requiredOption("--kubeconfig <file>", "kubeconfig of the apiserver to schedule through")
        .option("--config <file>", "a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)")
        .option(
          "--plugin-package <specifiers>",
          "npm packages (or module paths) exporting NAME and create(args, handle), registered before --config is read (repeatable, comma-separated)",
          collectList,
        )
        .option(
          "--leader-elect [enabled]",
          "run only while holding the leader Lease (true|false)",
          parseBool,
          true,
        )
        .option(
          "--leader-elect-lease-duration <duration>",
          "how long followers wait after the last renewal before taking over",
          parseDurationMs,
          LEADER.leaseDurationMs,
        )
        .option(
          "--leader-elect-renew-deadline <duration>",
          "how long the leader retries renewing before it gives up",
          parseDurationMs,
          LEADER.renewDeadlineMs,
        )
        .option(
          "--leader-elect-retry-period <duration>",
          "time between attempts to acquire or renew",
          parseDurationMs,
          LEADER.retryPeriodMs,
        )
        .option("--leader-elect-resource-name <name>", "the Lease's name", LEADER.resourceName)
        .option(
          "--leader-elect-resource-namespace <namespace>",
          "the Lease's namespace",
          LEADER.resourceNamespace,
        )
        .option(
          "--secure-port <port>",
          "HTTPS port of /healthz, /readyz and /metrics (0 disables)",
          parsePort,
          10259,
        )
        .option("--bind-address <ip>", "address of the secure port", "0.0.0.0")
        .action(async (flags: SchedulerFlags) => {
          const logger = options.logger ?? pino({ name: "kube-scheduler" });
          const registry = inTreeRegistry();
          const loaded = await registerPluginPackages(registry, flags.pluginPackage ?? []);
          if (loaded.length > 0) logger.info({ plugins: loaded }, "loaded plugin packages");
          const config = await loadConfig(flags.config, registry);
          const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(flags.kubeconfig));
          const shutdown = new AbortController();
          const stopped = new AbortController();
          void untilShutdown(options.shutdown, stopped.signal).then(() => shutdown.abort());
          logger.info({ kubeconfig: flags.kubeconfig }, "starting");
          try {
            await runScheduler({
              rest,
              signal: shutdown.signal,
              registry,
              logger,
              ...(config ? { config } : {}),
              ...(flags.leaderElect
                ? {
                    leaderElection: {
                      leaseDurationMs: flags.leaderElectLeaseDuration,
                      renewDeadlineMs: flags.leaderElectRenewDeadline,
                      retryPeriodMs: flags.leaderElectRetryPeriod,
                      resourceName: flags.leaderElectResourceName,
                      resourceNamespace: flags.leaderElectResourceNamespace,
                    },
                  }
                : {}),
              ...(flags.securePort !== 0
                ? { health: { bindAddress: flags.bindAddress, port: flags.securePort } }
                : {}),
              ...(options.onServing ? { onServing: options.onServing } : {}),
              ...(options.handleExtras ? { handleExtras: options.handleExtras } : {}),
            });
          } finally {
            stopped.abort();
          }
        });
    },
  };
}

/** `kubekit scheduler`, stopped by SIGTERM or SIGINT. */
export const schedulerCommand: SchedulerCommand = createSchedulerCommand();
