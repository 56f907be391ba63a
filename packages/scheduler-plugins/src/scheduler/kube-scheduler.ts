/**
 * The scheduler as a whole, minus I/O: informer-style handlers feed the
 * cache and the queue, `scheduleNext()` runs one attempt, and outcomes come
 * out as events. The `kubekit scheduler` command wires informers from
 * `@kubekit/client` to the handlers, a Binder that POSTs bindings, a timer
 * that calls `flushQueues()` each second, and a loop over `scheduleNext()`.
 */
import type { LabelSelector, Node, Pod } from "../api/types.js";
import { podKey } from "../api/types.js";
import { buildFrameworks } from "../config/build.js";
import { defaultSchedulerConfiguration, type SchedulerConfiguration } from "../config/parse.js";
import type { Framework } from "../framework/framework.js";
import {
  type Binder,
  type Clock,
  type Handle,
  type NamespaceLister,
  type PdbLister,
  type PodDeleter,
  type RandomSource,
  systemClock,
} from "../framework/handle.js";
import type { Registry } from "../framework/registry.js";
import { success } from "../framework/status.js";
import { inTreeArgsValidators } from "../plugins/args-validators.js";
import { inTreeRegistry } from "../plugins/registry.js";
import { SchedulingQueue } from "../queue/scheduling-queue.js";
import { SchedulerCache } from "./cache.js";
import { Scheduler } from "./scheduler.js";

/** What the scheduler reports (the command turns these into Events and pod conditions). */
export type SchedulerEvent =
  | { type: "Scheduled"; pod: Pod; nodeName: string; message: string; profile: string }
  | {
      type: "FailedScheduling";
      pod: Pod;
      message: string;
      /** The PodScheduled=False condition's reason, as upstream: Unschedulable for a fit failure, SchedulerError otherwise. */
      reason: "Unschedulable" | "SchedulerError";
      profile: string;
      nominatedNodeName?: string;
    };

/** How one scheduling attempt ended, as upstream's scheduler_schedule_attempts_total labels it. */
export type AttemptResult = "scheduled" | "unschedulable" | "error";

/** One finished attempt (scheduling and binding cycle), for metrics. */
export interface AttemptOutcome {
  result: AttemptResult;
  profile: string;
  /** From pop to the end of the attempt (bound, or failed), on the scheduler's clock. */
  durationMs: number;
}

/** Everything the scheduler needs from outside. */
export interface KubeSchedulerOptions {
  /** Where bindings go. */
  binder: Binder;
  /** Parsed configuration; the default profile when absent. */
  config?: SchedulerConfiguration;
  /** Plugins by name; the in-tree registry when absent. */
  registry?: Registry;
  clock?: Clock;
  random?: RandomSource;
  namespaces?: NamespaceLister;
  pdbs?: PdbLister;
  /** Where preemption deletes its victims. */
  podDeleter?: PodDeleter;
  /** Selector of the workload a pod belongs to (for PodTopologySpread's system defaults). */
  workloadSelector?: (pod: Pod) => LabelSelector | undefined;
  /** Receives Scheduled and FailedScheduling events. */
  onEvent?: (event: SchedulerEvent) => void;
  /** Told how each attempt ended (metrics). */
  onAttempt?: (outcome: AttemptOutcome) => void;
  /** Extra fields for the plugins' Handle (e.g. an informer factory and a client for out-of-tree plugins). */
  handleExtras?: Record<string, unknown>;
}

function profileOf(pod: Pod): string {
  return pod.spec.schedulerName ?? "default-scheduler";
}

/** A complete scheduler over in-memory state. */
export class KubeScheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly frameworks: Map<string, Framework>;
  private readonly scheduler: Scheduler;

  constructor(opts: KubeSchedulerOptions) {
    const registry = opts.registry ?? inTreeRegistry();
    const config =
      opts.config ??
      defaultSchedulerConfiguration({ registry, argsValidators: inTreeArgsValidators() });
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    this.onAttempt = opts.onAttempt;
    const handle: Handle & { workloadSelector?: KubeSchedulerOptions["workloadSelector"] } = {
      ...opts.handleExtras,
      snapshot: () => this.scheduler.currentSnapshot ?? this.cache.snapshot(),
      binder: opts.binder,
      clock,
      random: opts.random ?? Math.random,
      ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
      ...(opts.pdbs ? { pdbs: opts.pdbs } : {}),
      ...(opts.podDeleter ? { podDeleter: opts.podDeleter } : {}),
      ...(opts.workloadSelector ? { workloadSelector: opts.workloadSelector } : {}),
    };
    this.frameworks = buildFrameworks(config, registry, handle);
    const first = this.frameworks.values().next().value as Framework;
    this.queue = new SchedulingQueue({
      clock,
      less: (a, b) => first.queueSortLess(a, b),
      preEnqueue: (pod) => this.frameworkFor(pod)?.runPreEnqueuePlugins(pod) ?? success(),
      initialBackoffMs: config.podInitialBackoffSeconds * 1000,
      maxBackoffMs: config.podMaxBackoffSeconds * 1000,
    });
    this.scheduler = new Scheduler(this.cache, (pod) => this.frameworkFor(pod), {
      nominatedPodsForNode: (nodeName) => this.queue.nominatedPodsForNode(nodeName),
      onScheduled: (pod, nodeName) => {
        this.queue.done(pod);
        const profile = profileOf(pod);
        this.finishAttempt(pod, "scheduled", profile);
        opts.onEvent?.({
          type: "Scheduled",
          pod,
          nodeName,
          profile,
          message: `Successfully assigned ${podKey(pod)} to ${nodeName}`,
        });
      },
      onFailure: (f) => {
        this.queue.addUnschedulableIfNotPresent(
          f.podInfo,
          f.unschedulablePlugins,
          this.attemptCycle.get(podKey(f.podInfo.pod)),
        );
        if (f.nominatedNodeName) this.queue.addNominatedPod(f.podInfo.pod, f.nominatedNodeName);
        const rejected = f.status.isRejected();
        const profile = profileOf(f.podInfo.pod);
        this.finishAttempt(f.podInfo.pod, rejected ? "unschedulable" : "error", profile);
        opts.onEvent?.({
          type: "FailedScheduling",
          pod: f.podInfo.pod,
          message: f.message,
          reason: rejected ? "Unschedulable" : "SchedulerError",
          profile,
          ...(f.nominatedNodeName ? { nominatedNodeName: f.nominatedNodeName } : {}),
        });
      },
    });
  }

  // The queue's cycle when each in-flight pod was popped (events during the attempt send it to backoff).
  private readonly attemptCycle = new Map<string, number>();
  // When each in-flight pod was popped, for the attempt duration.
  private readonly attemptStart = new Map<string, number>();
  private readonly clock: Clock;
  private readonly onAttempt: KubeSchedulerOptions["onAttempt"];

  private finishAttempt(pod: Pod, result: AttemptResult, profile: string): void {
    const key = podKey(pod);
    const start = this.attemptStart.get(key);
    if (start === undefined) return;
    this.attemptStart.delete(key);
    this.onAttempt?.({ result, profile, durationMs: this.clock.now() - start });
  }

  /** The framework of the pod's schedulerName, undefined when another scheduler owns the pod. */
  frameworkFor(pod: Pod): Framework | undefined {
    return this.frameworks.get(pod.spec.schedulerName ?? "default-scheduler");
  }

  /** Informer: a node appeared. */
  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.onEvent({ type: "NodeAdd", node });
  }

  /** Informer: a node changed. */
  onNodeUpdate(oldNode: Node, node: Node): void {
    this.cache.updateNode(node);
    this.queue.onEvent({ type: "NodeUpdate", oldNode, node });
  }

  /** Informer: a node went away. */
  onNodeDelete(node: Node): void {
    this.cache.removeNode(node.metadata.name);
    this.queue.onEvent({ type: "NodeDelete", node });
  }

  /** Informer: a pod appeared (bound pods feed the cache, pending pods of our profiles the queue). */
  onPodAdd(pod: Pod): void {
    if (pod.spec.nodeName) {
      this.cache.addPod(pod);
      this.queue.onEvent({ type: "AssignedPodAdd", pod });
    } else if (this.frameworkFor(pod)) {
      this.queue.add(pod);
      this.queue.onEvent({ type: "UnscheduledPodAdd", pod });
    }
  }

  /** Informer: a pod changed. */
  onPodUpdate(oldPod: Pod, pod: Pod): void {
    if (pod.spec.nodeName) {
      if (!oldPod.spec.nodeName) this.queue.delete(pod);
      this.cache.updatePod(pod);
      this.queue.onEvent({ type: "AssignedPodUpdate", oldPod, pod });
    } else if (this.frameworkFor(pod)) {
      this.queue.update(pod);
    }
  }

  /** Informer: a pod was deleted. */
  onPodDelete(pod: Pod): void {
    if (pod.spec.nodeName) {
      this.cache.removePod(pod);
      this.queue.onEvent({ type: "AssignedPodDelete", pod });
    } else {
      this.queue.delete(pod);
    }
  }

  /** Call periodically (each second): releases backed-off pods and flushes long-unschedulable ones. */
  flushQueues(): void {
    this.queue.flush();
  }

  /**
   * Pops the next pod and runs its scheduling cycle. Resolves false when the
   * queue was empty; otherwise true, once the scheduling cycle is over (the
   * binding cycle continues; its promise is `binding`).
   */
  async scheduleNext(): Promise<{ attempted: boolean; binding: Promise<boolean> }> {
    const info = this.queue.pop();
    if (!info) return { attempted: false, binding: Promise.resolve(false) };
    this.attemptCycle.set(podKey(info.pod), this.queue.currentCycle);
    this.attemptStart.set(podKey(info.pod), this.clock.now());
    const { binding } = await this.scheduler.scheduleOne(info);
    return {
      attempted: true,
      binding: binding.finally(() => this.attemptCycle.delete(podKey(info.pod))),
    };
  }
}
