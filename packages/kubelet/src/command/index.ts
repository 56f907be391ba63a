/**
 * `kubekit kubelet`: the node agent. Connects to a CRI runtime on a unix
 * socket (or runs cri-sim in process with `--runtime sim`), registers the
 * node with the apiserver named by `--kubeconfig`, and runs the pods bound
 * to it until SIGTERM.
 */
import { once } from "node:events";
import { mkdir, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { hostname } from "node:os";
import {
  type Client,
  createClient,
  createRouterTransport,
  type Transport,
} from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createDynamicClient, loadKubeconfigFile, restConfigFromKubeconfig } from "@kubekit/client";
import { createCriSim, createSimulatedNodes } from "@kubekit/cri-sim";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import { createObjectInformers, Kubelet, type KubeletOptions } from "../agent/kubelet.js";
import { readHostFacts } from "../node/host-facts.js";
import type { Taint } from "../node/types.js";
import {
  DEBUG_VERBOSITY,
  parseBool,
  parseDuration,
  parseIP,
  parseIPList,
  parseLabelsFlag,
  parsePort,
  parsePositiveInt,
  parseResolvConf,
  parseRuntime,
  parseTaintsFlag,
  parseUnixEndpoint,
  parseVerbosity,
} from "./flags.js";
import { serveHealth } from "./health-server.js";
import { readKubeletTls, startKubeletApi } from "./kubelet-api.js";
import { kubeletMetrics } from "./metrics.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface KubeletCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** What the kubelet API server (`--port`, :10250) is started with. */
export interface KubeletServerContext {
  kubelet: Kubelet;
  /** `--address` and `--port`. */
  address: string;
  port: number;
  runtime: Client<typeof RuntimeService>;
  images: Client<typeof ImageService>;
  /** `--pod-logs-dir`. */
  podLogsDir: string;
  /** `--client-ca-file`: PEM CAs client certificates must chain to. */
  clientCA?: string;
  /** `--tls-cert-file` and `--tls-private-key-file`; self-signed when absent. */
  servingCert?: { cert: string; key: string };
  logger: Logger;
}

/**
 * Starts the kubelet's HTTPS API (/pods, /containerLogs, /exec) for one
 * kubelet. It lives in `src/server/`; this is the hook the command calls.
 */
export type StartKubeletServer = (
  context: KubeletServerContext,
) => Promise<{ close(): Promise<void> }>;

/** Options of {@link createKubeletCommand}; tests pass their own. */
export interface KubeletCommandOptions {
  /** Ends the kubelet when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
  /** Starts the kubelet API on `--port`; without it, the port is only reported in node status. */
  startKubeletServer?: StartKubeletServer;
}

interface KubeletFlags {
  clientCaFile?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  kubeconfig: string;
  nodeName?: string;
  hostnameOverride?: string;
  containerRuntimeEndpoint?: string;
  imageServiceEndpoint?: string;
  runtime: "remote" | "sim";
  simulatedNodes?: number;
  rootDir: string;
  podLogsDir: string;
  cgroupRoot?: string;
  nodeIp?: string;
  nodeLabels?: Record<string, string>;
  registerWithTaints?: Taint[];
  registerNode: boolean;
  maxPods: number;
  clusterDns?: string[];
  clusterDomain: string;
  resolvConf: string;
  podManifestPath?: string;
  healthzPort: number;
  healthzBindAddress: string;
  port: number;
  address: string;
  nodeStatusUpdateFrequency?: number;
  nodeStatusReportFrequency?: number;
  syncFrequency?: number;
  v: number;
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

/** Upstream's PLEG health threshold: a relist older than this makes the kubelet unhealthy. */
const RELIST_THRESHOLD_MS = 3 * 60_000;

/** Why /healthz fails: a kubelet whose sync loop has not relisted the runtime lately. */
function syncLoopProblem(kubelets: readonly Kubelet[], now: number): string | undefined {
  for (const kubelet of kubelets) {
    const last = kubelet.engine.lastRelistAt;
    if (last === undefined || now - last > RELIST_THRESHOLD_MS) {
      const ago = last === undefined ? "never" : `${Math.round((now - last) / 1000)}s ago`;
      return `syncloop: runtime last relisted ${ago} (threshold ${RELIST_THRESHOLD_MS / 1000}s)`;
    }
  }
  return undefined;
}

function grpcTransport(socketPath: string): Transport {
  return createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => connect(socketPath) },
  });
}

/** One kubelet's runtime: CRI clients and the node name to register. */
interface NodeRuntime {
  nodeName: string;
  runtime: Client<typeof RuntimeService>;
  images: Client<typeof ImageService>;
}

function runtimesFor(flags: KubeletFlags, nodeName: string): NodeRuntime[] {
  if (flags.runtime === "sim") {
    if (flags.simulatedNodes !== undefined) {
      return createSimulatedNodes(flags.simulatedNodes, { namePrefix: `${nodeName}-` }).map(
        (node) => ({
          nodeName: node.name,
          runtime: createClient(RuntimeService, node.transport),
          images: createClient(ImageService, node.transport),
        }),
      );
    }
    const transport = createRouterTransport(createCriSim());
    return [
      {
        nodeName,
        runtime: createClient(RuntimeService, transport),
        images: createClient(ImageService, transport),
      },
    ];
  }
  const runtimeTransport = grpcTransport(
    flags.containerRuntimeEndpoint ?? "/run/containerd/containerd.sock",
  );
  const imageTransport = flags.imageServiceEndpoint
    ? grpcTransport(flags.imageServiceEndpoint)
    : runtimeTransport;
  return [
    {
      nodeName,
      runtime: createClient(RuntimeService, runtimeTransport),
      images: createClient(ImageService, imageTransport),
    },
  ];
}

/**
 * `kubekit kubelet`: registers a node and runs the pods the apiserver binds
 * to it, on a CRI runtime, until SIGTERM; then stops watching and reporting
 * and leaves the containers running for the next kubelet to adopt, as
 * upstream's kubelet does.
 */
export function createKubeletCommand(options: KubeletCommandOptions = {}): KubeletCommand {
  return {
    name: "kubelet",
    summary: "run the node agent: register the node and run the pods bound to it on CRI",
    configure(command) {
      command
        .requiredOption("--kubeconfig <file>", "kubeconfig of the apiserver")
        .option("--node-name <name>", "name to register the node as (default: the hostname)")
        .option("--hostname-override <name>", "alias of --node-name, as upstream names it")
        .option(
          "--container-runtime-endpoint <endpoint>",
          'CRI runtime socket (default "unix:///run/containerd/containerd.sock")',
          parseUnixEndpoint,
        )
        .option(
          "--image-service-endpoint <endpoint>",
          "CRI image service socket (default: the runtime's)",
          parseUnixEndpoint,
        )
        .option(
          "--runtime <kind>",
          "remote (a CRI endpoint) or sim (an in-process SIMULATED runtime: nothing runs)",
          parseRuntime,
          "remote",
        )
        .option(
          "--simulated-nodes <n>",
          "with --runtime sim: run this many simulated kubelets, named <node-name>-<i>",
          parsePositiveInt,
        )
        .option(
          "--root-dir <dir>",
          "kubelet state; pod volumes under <dir>/pods",
          "/var/lib/kubelet",
        )
        .option("--pod-logs-dir <dir>", "where container logs are written", "/var/log/pods")
        .option("--cgroup-root <path>", 'parent cgroup of pod cgroups (default "/kubepods")')
        .option("--node-ip <ip>", "the node's address (default: first non-loopback IPv4)", parseIP)
        .option("--node-labels <k=v,...>", "labels to add when registering", parseLabelsFlag)
        .option(
          "--register-with-taints <k=v:Effect,...>",
          "taints to register the node with",
          parseTaintsFlag,
        )
        .option("--register-node [bool]", "register the node with the apiserver", parseBool, true)
        .option("--max-pods <n>", "pods this node can run", parsePositiveInt, 110)
        .option(
          "--cluster-dns <ip,...>",
          "cluster DNS server addresses (default none)",
          parseIPList,
        )
        .option("--cluster-domain <domain>", "the cluster's DNS domain", "cluster.local")
        .option(
          "--resolv-conf <file>",
          "the resolver for dnsPolicy Default pods",
          "/etc/resolv.conf",
        )
        .option("--pod-manifest-path <dir>", "directory of static pod manifests")
        .option(
          "--healthz-port <port>",
          "HTTP port of /healthz and /metrics (0: off)",
          parsePort,
          10248,
        )
        .option(
          "--healthz-bind-address <ip>",
          "address of the healthz server",
          parseIP,
          "127.0.0.1",
        )
        .option("--port <port>", "port of the kubelet API", parsePort, 10250)
        .option("--address <ip>", "address of the kubelet API", parseIP, "0.0.0.0")
        .option(
          "--client-ca-file <file>",
          "PEM CAs that sign the client certificates the kubelet API accepts",
        )
        .option("--tls-cert-file <file>", "PEM serving certificate of the kubelet API")
        .option("--tls-private-key-file <file>", "PEM key of --tls-cert-file")
        .option(
          "--node-status-update-frequency <duration>",
          'how often node status is computed (default "10s")',
          parseDuration,
        )
        .option(
          "--node-status-report-frequency <duration>",
          'how often unchanged node status is still sent (default "5m")',
          parseDuration,
        )
        .option(
          "--sync-frequency <duration>",
          'how often pods are synced (default "1s")',
          parseDuration,
        )
        .option(
          "-v, --v <level>",
          `log verbosity; ${DEBUG_VERBOSITY} and up adds debug lines (relist and pod startup timings)`,
          parseVerbosity,
          0,
        )
        .action(async (flags: KubeletFlags) => {
          if (
            flags.nodeName &&
            flags.hostnameOverride &&
            flags.nodeName !== flags.hostnameOverride
          ) {
            command.error("error: --node-name and --hostname-override disagree", {
              exitCode: 2,
              code: "kubekit.usage",
            });
          }
          const tls = await readKubeletTls(flags, (message) =>
            command.error(`error: ${message}`, { exitCode: 2, code: "kubekit.usage" }),
          );
          if (flags.simulatedNodes !== undefined && flags.runtime !== "sim") {
            command.error("error: --simulated-nodes needs --runtime sim", {
              exitCode: 2,
              code: "kubekit.usage",
            });
          }
          const baseLogger = options.logger ?? pino({ name: "kubelet" });
          const logger =
            flags.v >= DEBUG_VERBOSITY ? baseLogger.child({}, { level: "debug" }) : baseLogger;
          const nodeName = (flags.nodeName ?? flags.hostnameOverride ?? hostname()).toLowerCase();
          const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(flags.kubeconfig));
          const client = createDynamicClient(rest);
          await mkdir(flags.rootDir, { recursive: true });
          await mkdir(flags.podLogsDir, { recursive: true });
          const resolv = parseResolvConf(await readFile(flags.resolvConf, "utf8").catch(() => ""));
          const runtimes = runtimesFor(flags, nodeName);
          if (flags.runtime === "sim") {
            logger.warn(
              { nodes: runtimes.length },
              "runtime is SIMULATED (cri-sim): pods are reported running, nothing runs",
            );
          }
          const facts = readHostFacts(flags.rootDir);
          const objectInformers = createObjectInformers(client);
          const informersStop = new AbortController();
          const base: Omit<KubeletOptions, "runtime" | "images" | "nodeName"> = {
            client,
            ...(flags.nodeIp ? { nodeIP: flags.nodeIp } : {}),
            nodeLabels: flags.nodeLabels ?? {},
            registerWithTaints: flags.registerWithTaints ?? [],
            registerNode: flags.registerNode,
            maxPods: flags.maxPods,
            kubeletPort: flags.port,
            rootDir: flags.rootDir,
            podLogsDir: flags.podLogsDir,
            ...(flags.cgroupRoot ? { cgroupRoot: flags.cgroupRoot } : {}),
            dns: {
              clusterDNS: flags.clusterDns ?? [],
              clusterDomain: flags.clusterDomain,
              host: resolv,
            },
            ...(flags.podManifestPath ? { podManifestPath: flags.podManifestPath } : {}),
            objectInformers,
            facts: () => facts,
            syncIntervalMs: flags.syncFrequency ?? 1_000,
            nodeStatusUpdateFrequencyMs: flags.nodeStatusUpdateFrequency ?? 10_000,
            nodeStatusReportFrequencyMs: flags.nodeStatusReportFrequency ?? 300_000,
            log: logger,
          };
          const kubelets: Kubelet[] = [];
          let started = false;
          const registry = kubeletMetrics(() => kubelets);
          const health =
            flags.healthzPort === 0
              ? undefined
              : await serveHealth(
                  { host: flags.healthzBindAddress, port: flags.healthzPort },
                  () => (started ? syncLoopProblem(kubelets, Date.now()) : "kubelet is starting"),
                  registry,
                );
          if (health) logger.info({ url: health.url }, "serving /healthz and /metrics");
          const objectsRunning = [
            objectInformers.configMaps.run(informersStop.signal),
            objectInformers.secrets.run(informersStop.signal),
          ];
          for (const node of runtimes) {
            kubelets.push(
              await Kubelet.create({
                ...base,
                nodeName: node.nodeName,
                runtime: node.runtime,
                images: node.images,
              }),
            );
          }
          const shutdown = untilShutdown(options.shutdown);
          const starting = Promise.all(kubelets.map((k) => k.start())).then(() => {
            started = true;
          });
          await Promise.race([starting, shutdown]);
          const servers: { close(): Promise<void> }[] = [];
          if (started) {
            logger.info(
              { nodes: kubelets.length, server: rest.server, runtime: flags.runtime },
              "kubelet running",
            );
            // The kubelet API on --port: started by the hook the kubelet API server provides.
            const [kubelet] = kubelets;
            const [node] = runtimes;
            const startServer = options.startKubeletServer ?? startKubeletApi;
            if (flags.port !== 0 && kubelets.length === 1 && kubelet && node) {
              servers.push(
                await startServer({
                  ...(tls.clientCA !== undefined ? { clientCA: tls.clientCA } : {}),
                  ...(tls.servingCert !== undefined ? { servingCert: tls.servingCert } : {}),
                  kubelet,
                  address: flags.address,
                  port: flags.port,
                  runtime: node.runtime,
                  images: node.images,
                  podLogsDir: flags.podLogsDir,
                  logger,
                }),
              );
            }
          }
          await shutdown;
          logger.info("shutting down");
          await Promise.all(servers.map((s) => s.close()));
          await Promise.all(kubelets.map((k) => k.stop()));
          informersStop.abort();
          await Promise.allSettled(objectsRunning);
          await health?.close();
          client.close();
          logger.info("stopped");
        });
    },
  };
}

/** `kubekit kubelet`, stopped by SIGTERM or SIGINT. */
export const kubeletCommand: KubeletCommand = createKubeletCommand();
