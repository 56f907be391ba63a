/**
 * `kubekit scheduler`: kube-scheduler on a real apiserver. Informers from
 * `@kubekit/client` feed Nodes, Pods, Namespaces and (when served)
 * PodDisruptionBudgets to a {@link KubeScheduler}; the scheduling loop
 * binds pods by POSTing a v1 Binding to `pods/NAME/binding`, records
 * Events and PodScheduled conditions, and runs only while this process
 * holds the kube-system/kube-scheduler Lease (with --leader-elect).
 */

import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import {
  type CoreEvent,
  createDynamicClient,
  DeletedFinalStateUnknown,
  type DynamicClient,
  isNotFound,
  type KubeObject,
  LeaderElector,
  type Lease,
  leaseClientFor,
  loadKubeconfigFile,
  Resources,
  realClock,
  restConfigFromKubeconfig,
  SharedInformerFactory,
} from "@kubekit/client";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import type { Node, Pod, PodDisruptionBudget } from "../api/types.js";
import { parseSchedulerConfiguration, type SchedulerConfiguration } from "../config/parse.js";
import type { Binder, NamespaceLister, PdbLister, PodDeleter } from "../framework/handle.js";
import type { Registry } from "../framework/registry.js";
import { registerPluginPackages } from "../loading/load-plugin-package.js";
import { inTreeArgsValidators } from "../plugins/args-validators.js";
import { inTreeRegistry } from "../plugins/registry.js";
import { KubeScheduler } from "../scheduler/kube-scheduler.js";
import { collectList, parseBool, parseDurationMs, parsePort } from "./flags.js";
import { type HealthServer, serveHealth } from "./health-server.js";
import { createSchedulerMetrics } from "./metrics.js";
import { createReporter } from "./reporter.js";

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

/** How long the loop sleeps when the active queue is empty. */
const IDLE_POLL_MS = 50;

/** policy/v1 PodDisruptionBudgets (not in the client's list of core resources). */
const PDBS = {
  group: "policy",
  version: "v1",
  resource: "poddisruptionbudgets",
  namespaced: true,
} as const;

/** The reason the command fails with when another scheduler takes the lease. */
export class LeaderElectionLostError extends Error {
  override readonly name = "LeaderElectionLostError";
  constructor() {
    super("leaderelection lost");
  }
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

function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/** Upstream's scheduler ignores finished pods: they hold no resources. */
function terminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** The v1 Binding the scheduler POSTs to `pods/NAME/binding`. */
export function bindingFor(pod: Pod, nodeName: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Binding",
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace ?? "default",
      ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}),
    },
    target: { apiVersion: "v1", kind: "Node", name: nodeName },
  };
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

/** True when the apiserver serves `gvr` (a list succeeds); a missing resource must not block cache sync. */
async function served(
  client: DynamicClient,
  gvr: typeof PDBS,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    await client.resource(gvr).list({ limit: 1 }, signal);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
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
          15_000,
        )
        .option(
          "--leader-elect-renew-deadline <duration>",
          "how long the leader retries renewing before it gives up",
          parseDurationMs,
          10_000,
        )
        .option(
          "--leader-elect-retry-period <duration>",
          "time between attempts to acquire or renew",
          parseDurationMs,
          2_000,
        )
        .option("--leader-elect-resource-name <name>", "the Lease's name", "kube-scheduler")
        .option(
          "--leader-elect-resource-namespace <namespace>",
          "the Lease's namespace",
          "kube-system",
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
          const client = createDynamicClient(rest);
          const podsClient = client.resource(Resources.pods);
          const stop = new AbortController();
          const shutdown = untilShutdown(options.shutdown, stop.signal).then(() => stop.abort());

          const factory = new SharedInformerFactory(client, {
            clock: realClock,
            onError: (err) => logger.warn({ err }, "watch failed; retrying"),
          });
          const binder: Binder = {
            async bind(pod, nodeName) {
              await podsClient
                .namespace(pod.metadata.namespace ?? "default")
                .createSubresource(
                  pod.metadata.name,
                  "binding",
                  bindingFor(pod, nodeName),
                  {},
                  stop.signal,
                );
            },
          };
          const podDeleter: PodDeleter = {
            async deletePod(pod) {
              try {
                await podsClient
                  .namespace(pod.metadata.namespace ?? "default")
                  .delete(pod.metadata.name, {}, stop.signal);
              } catch (err) {
                if (!isNotFound(err)) throw err;
              }
            },
          };
          const namespaceInformer = factory.informerFor(Resources.namespaces);
          const namespaces: NamespaceLister = {
            labels: (name) => namespaceInformer.indexer.getByKey(name)?.metadata?.labels,
          };
          const pdbInformer = (await served(client, PDBS, stop.signal))
            ? factory.informerFor(PDBS)
            : undefined;
          if (!pdbInformer) {
            logger.info(
              "the apiserver serves no policy/v1 PodDisruptionBudgets; preemption ignores them",
            );
          }
          const pdbs: PdbLister = {
            list: () =>
              (pdbInformer?.indexer.list() ?? []) as unknown as readonly PodDisruptionBudget[],
          };
          const reporter = createReporter({
            events: client.resource<CoreEvent>(Resources.events),
            pods: podsClient,
            clock: realClock,
            logger,
            signal: stop.signal,
          });
          let scheduler!: KubeScheduler;
          const metrics = createSchedulerMetrics(() => scheduler.queue.sizes());
          scheduler = new KubeScheduler({
            binder,
            registry,
            onEvent: reporter.onEvent,
            onAttempt: metrics.observeAttempt,
            namespaces,
            pdbs,
            podDeleter,
            // Out-of-tree plugins reach the cluster as upstream's do: handle.informerFactory / handle.client.
            handleExtras: { informerFactory: factory, client, ...options.handleExtras },
            ...(config ? { config } : {}),
          });

          factory.informerFor(Resources.nodes).addEventHandler({
            onAdd: (n) => scheduler.onNodeAdd(n as unknown as Node),
            onUpdate: (o, n) => scheduler.onNodeUpdate(o as unknown as Node, n as unknown as Node),
            onDelete: (n) => scheduler.onNodeDelete(unwrap(n) as unknown as Node),
          });
          factory.informerFor(Resources.pods).addEventHandler({
            onAdd: (p) => {
              const pod = p as unknown as Pod;
              if (!terminal(pod)) scheduler.onPodAdd(pod);
            },
            onUpdate: (o, p) => {
              const oldPod = o as unknown as Pod;
              const pod = p as unknown as Pod;
              if (terminal(pod)) {
                if (!terminal(oldPod)) scheduler.onPodDelete(oldPod);
              } else if (terminal(oldPod)) {
                scheduler.onPodAdd(pod);
              } else {
                scheduler.onPodUpdate(oldPod, pod);
              }
            },
            onDelete: (p) => scheduler.onPodDelete(unwrap(p) as unknown as Pod),
          });
          factory.start(stop.signal);

          let synced = false;
          let health: HealthServer | undefined;
          if (flags.securePort !== 0) {
            health = await serveHealth({
              bindAddress: flags.bindAddress,
              port: flags.securePort,
              registry: metrics.registry,
              ready: () => synced,
            });
            logger.info({ url: health.url }, "serving healthz and metrics");
            options.onServing?.(health.url);
          }

          // The scheduling loop, until `signal` aborts (shutdown, or the lease is lost).
          const schedule = async (signal: AbortSignal): Promise<void> => {
            logger.info({ profiles: [...scheduler.frameworks.keys()] }, "scheduling");
            const flush = setInterval(() => scheduler.flushQueues(), 1000);
            try {
              while (!signal.aborted) {
                const { attempted, binding } = await scheduler.scheduleNext();
                binding.catch((err) => logger.warn({ err }, "binding cycle failed unexpectedly"));
                if (!attempted) {
                  await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
                }
              }
            } finally {
              clearInterval(flush);
            }
          };

          let lost = false;
          logger.info({ kubeconfig: flags.kubeconfig, server: rest.server }, "waiting for caches");
          if (await factory.waitForCacheSync(stop.signal)) {
            synced = true;
            logger.info("caches synced");
            if (!flags.leaderElect) {
              await schedule(stop.signal);
            } else {
              const identity = `${hostname()}_${randomUUID()}`;
              const lock = leaseClientFor(
                client.resource<Lease>(Resources.leases),
                flags.leaderElectResourceNamespace,
                flags.leaderElectResourceName,
              );
              let leading: Promise<void> = Promise.resolve();
              logger.info(
                { identity, lease: lock.describe() },
                "attempting to acquire leader lease",
              );
              const elector = new LeaderElector({
                lock,
                identity,
                clock: realClock,
                leaseDurationMs: flags.leaderElectLeaseDuration,
                renewDeadlineMs: flags.leaderElectRenewDeadline,
                retryPeriodMs: flags.leaderElectRetryPeriod,
                callbacks: {
                  onStartedLeading: (signal) => {
                    logger.info({ identity }, "successfully acquired lease");
                    leading = schedule(signal);
                  },
                  onStoppedLeading: () => {
                    if (!stop.signal.aborted) lost = true;
                  },
                  onNewLeader: (leader) => {
                    if (leader !== identity) logger.info({ leader }, "new leader elected");
                  },
                },
                onError: (err) => logger.warn({ err }, "leader election attempt failed"),
              });
              await elector.run(stop.signal);
              await leading;
            }
          }
          if (lost) {
            logger.error("leaderelection lost");
            stop.abort();
          }
          await shutdown;
          logger.info("shutting down");
          await reporter.flush();
          await health?.close();
          await factory.shutdown();
          logger.info("stopped");
          if (lost) throw new LeaderElectionLostError();
        });
    },
  };
}

/** `kubekit scheduler`, stopped by SIGTERM or SIGINT. */
export const schedulerCommand: SchedulerCommand = createSchedulerCommand();
