/**
 * The scheduler on a real apiserver, as a function: informers from
 * `@kubekit/client` feed Nodes, Pods, Namespaces and (when served)
 * PodDisruptionBudgets to a {@link KubeScheduler}; the scheduling loop
 * binds pods by POSTing a v1 Binding to `pods/NAME/binding`, records
 * Events and PodScheduled conditions, and (with `leaderElection`) runs only
 * while this process holds the Lease. `kubekit scheduler` is this plus flag
 * parsing; an embedder composing a cluster in code calls it directly.
 */

import { randomUUID } from "node:crypto";
import { once } from "node:events";
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
  Resources,
  type RestConfig,
  realClock,
  SharedInformerFactory,
} from "@kubekit/client";
import { type Logger, pino } from "pino";
import type { Node, Pod, PodDisruptionBudget } from "../api/types.js";
import type { SchedulerConfiguration } from "../config/parse.js";
import type { Binder, NamespaceLister, PdbLister, PodDeleter } from "../framework/handle.js";
import type { Registry } from "../framework/registry.js";
import { inTreeRegistry } from "../plugins/registry.js";
import { KubeScheduler } from "../scheduler/kube-scheduler.js";
import { type HealthServer, serveHealth } from "./health-server.js";
import { createSchedulerMetrics } from "./metrics.js";
import { createReporter } from "./reporter.js";

/** Leader election over a coordination.k8s.io/v1 Lease, as kube-scheduler's --leader-elect-* flags. */
export interface SchedulerLeaderElection {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceName: string;
  resourceNamespace: string;
}

/** Upstream's defaults: 15 s lease, 10 s renew deadline, 2 s retry, kube-system/kube-scheduler. */
export const DEFAULT_SCHEDULER_LEADER_ELECTION: SchedulerLeaderElection = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  resourceName: "kube-scheduler",
  resourceNamespace: "kube-system",
};

export interface RunSchedulerOptions {
  /** The apiserver to schedule through (e.g. `restConfigFromKubeconfig(...)`). */
  rest: RestConfig;
  /** Stops the scheduler when aborted; {@link runScheduler} resolves once it has stopped. */
  signal: AbortSignal;
  /** The plugins that profiles may name; the in-tree ones by default. */
  registry?: Registry;
  /** A parsed KubeSchedulerConfiguration; the default profile when absent. */
  config?: SchedulerConfiguration;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
  /** Run only while holding the Lease; without it, schedule at once. */
  leaderElection?: SchedulerLeaderElection;
  /** Serve HTTPS /healthz, /readyz and /metrics here; without it, no health server. */
  health?: { bindAddress: string; port: number };
  /** Told the health server's URL once it listens. */
  onServing?: (url: string) => void;
  /** More fields for the plugins' Handle (an embedder's own sources for its plugins). */
  handleExtras?: Record<string, unknown>;
}

/** The reason {@link runScheduler} fails with when another scheduler takes the lease. */
export class LeaderElectionLostError extends Error {
  override readonly name = "LeaderElectionLostError";
  constructor() {
    super("leaderelection lost");
  }
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
 * Schedules pending pods through the apiserver at `options.rest` until
 * `options.signal` aborts. With leader election it rejects with
 * {@link LeaderElectionLostError} when the lease is lost, as upstream
 * exits, so a supervisor restarts it as a follower.
 */
export async function runScheduler(options: RunSchedulerOptions): Promise<void> {
  const logger = options.logger ?? pino({ name: "kube-scheduler" });
  const registry = options.registry ?? inTreeRegistry();
  const client = createDynamicClient(options.rest);
  const podsClient = client.resource(Resources.pods);
  // Aborted by the caller's signal, or by this function when the lease is lost.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener("abort", onAbort, { once: true });

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
    logger.info("the apiserver serves no policy/v1 PodDisruptionBudgets; preemption ignores them");
  }
  const pdbs: PdbLister = {
    list: () => (pdbInformer?.indexer.list() ?? []) as unknown as readonly PodDisruptionBudget[],
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
    ...(options.config ? { config: options.config } : {}),
  });
  watchCluster(factory, scheduler);
  factory.start(stop.signal);

  let synced = false;
  let health: HealthServer | undefined;
  if (options.health) {
    health = await serveHealth({
      ...options.health,
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
        if (!attempted) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
      }
    } finally {
      clearInterval(flush);
    }
  };

  let lost = false;
  try {
    logger.info({ server: options.rest.server }, "waiting for caches");
    if (await factory.waitForCacheSync(stop.signal)) {
      synced = true;
      logger.info("caches synced");
      if (!options.leaderElection) {
        await schedule(stop.signal);
      } else {
        lost = await scheduleWhileLeading(client, options.leaderElection, logger, schedule, stop);
      }
    }
    if (lost) {
      logger.error("leaderelection lost");
      stop.abort();
    }
    if (!stop.signal.aborted) await once(stop.signal, "abort");
  } finally {
    options.signal.removeEventListener("abort", onAbort);
    logger.info("shutting down");
    await reporter.flush();
    await health?.close();
    await factory.shutdown();
    logger.info("stopped");
  }
  if (lost) throw new LeaderElectionLostError();
}

/** Feeds the informers' Node and Pod events to the scheduler's cache and queue. */
function watchCluster(factory: SharedInformerFactory, scheduler: KubeScheduler): void {
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
}

/** Runs `schedule` while this process holds the Lease; true when the lease was lost (not shut down). */
async function scheduleWhileLeading(
  client: DynamicClient,
  election: SchedulerLeaderElection,
  logger: Logger,
  schedule: (signal: AbortSignal) => Promise<void>,
  stop: AbortController,
): Promise<boolean> {
  const identity = `${hostname()}_${randomUUID()}`;
  const lock = leaseClientFor(
    client.resource<Lease>(Resources.leases),
    election.resourceNamespace,
    election.resourceName,
  );
  let leading: Promise<void> = Promise.resolve();
  let lost = false;
  logger.info({ identity, lease: lock.describe() }, "attempting to acquire leader lease");
  const elector = new LeaderElector({
    lock,
    identity,
    clock: realClock,
    leaseDurationMs: election.leaseDurationMs,
    renewDeadlineMs: election.renewDeadlineMs,
    retryPeriodMs: election.retryPeriodMs,
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
  return lost;
}
