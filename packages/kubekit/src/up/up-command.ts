import { once } from "node:events";
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { type Logger, pino } from "pino";
import type { KubekitCommand } from "../command.js";
import { DataDirInUseError } from "./data-dir.js";
import { startLocalCluster } from "./local-cluster.js";
import type { RuntimeChoice } from "./node-runtime.js";

/** Options of {@link createUpCommand}; tests pass their own. */
export interface UpCommandOptions {
  /** Ends the cluster when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  logger?: Logger;
  /** Where the "cluster is ready" lines go (default stdout). */
  print?: (line: string) => void;
}

interface UpFlags {
  dataDir: string;
  runtime: RuntimeChoice;
  containerRuntimeEndpoint?: string;
  nodeName: string;
  securePort: number;
  storeClientPort: number;
  storePeerPort: number;
  kubeletPort: number;
  clusterCidr: string;
  serviceClusterIpRange: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`expected a port number, got "${value}"`);
  }
  return n;
}

function runtimeChoice(value: string): RuntimeChoice {
  if (value === "auto" || value === "containerd" || value === "sim") return value;
  throw new InvalidArgumentError(`expected auto, containerd or sim, got "${value}"`);
}

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
  stop.abort();
}

/** `kubekit up`: a whole single-node cluster in one process, until SIGTERM or Ctrl-C. */
export function createUpCommand(options: UpCommandOptions = {}): KubekitCommand {
  return {
    name: "up",
    summary:
      "run a whole single-node cluster: store, apiserver, controllers, scheduler and a kubelet",
    configure(command) {
      command
        .option("--data-dir <dir>", "where the cluster's state lives", join(homedir(), ".kubekit"))
        .option(
          "--runtime <kind>",
          "auto (containerd when installed), containerd or sim",
          runtimeChoice,
          "auto",
        )
        .option(
          "--container-runtime-endpoint <endpoint>",
          "use this CRI runtime (unix:///path) instead of starting one",
        )
        .option("--node-name <name>", "this node's name", hostname().toLowerCase())
        .option("--secure-port <port>", "the apiserver's HTTPS port", port, 6443)
        .option(
          "--store-client-port <port>",
          "the embedded store's client port (loopback)",
          port,
          2379,
        )
        .option("--store-peer-port <port>", "the embedded store's peer port (loopback)", port, 2380)
        .option("--kubelet-port <port>", "the kubelet API's port", port, 10250)
        .option(
          "--cluster-cidr <cidr>",
          "the pod network; the node gets its first /24",
          "10.244.0.0/16",
        )
        .option("--service-cluster-ip-range <cidr>", "ClusterIPs of services", "10.96.0.0/12")
        .action(async (flags: UpFlags) => {
          const logger = options.logger ?? pino({ name: "kubekit-up" }, pino.destination(2));
          const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
          let cluster: Awaited<ReturnType<typeof startLocalCluster>>;
          try {
            cluster = await startLocalCluster({
              dataDir: flags.dataDir,
              runtime: flags.runtime,
              ...(flags.containerRuntimeEndpoint
                ? { containerRuntimeEndpoint: flags.containerRuntimeEndpoint }
                : {}),
              nodeName: flags.nodeName,
              securePort: flags.securePort,
              storeClientPort: flags.storeClientPort,
              storePeerPort: flags.storePeerPort,
              kubeletPort: flags.kubeletPort,
              clusterCidr: flags.clusterCidr,
              serviceClusterIpRange: flags.serviceClusterIpRange,
              logger,
            });
          } catch (error) {
            if (error instanceof DataDirInUseError)
              command.error(`error: ${error.message}`, { exitCode: 2 });
            throw error;
          }
          if (cluster.runtime.banner) print(cluster.runtime.banner);
          print(
            `kubekit is up. Use it with:\n  kubectl --kubeconfig ${cluster.kubeconfig} get nodes`,
          );
          const outcome = await Promise.race([
            untilShutdown(options.shutdown).then(() => undefined),
            cluster.failed,
          ]);
          if (outcome !== undefined) {
            logger.error(
              { component: outcome.component, err: outcome.error },
              "component failed; stopping",
            );
          }
          await cluster.stop();
          logger.info("stopped");
          if (outcome !== undefined) throw outcome.error;
        });
    },
  };
}

/** `kubekit up`, stopped by SIGTERM or Ctrl-C. */
export const upCommand: KubekitCommand = createUpCommand();
