/**
 * The scheduling queue, as upstream's PriorityQueue: an active queue
 * ordered by the profile's QueueSort, a backoff queue of pods waiting out
 * an exponential per-pod backoff, and a set of unschedulable pods that move
 * back only on cluster events their rejecting plugins care about (queueing
 * hints), or after a periodic flush. Time comes from an injected clock;
 * call {@link SchedulingQueue.flush} periodically (each second, as upstream).
 */
import type { Pod } from "../api/types.js";
import { podKey } from "../api/types.js";
import type { Clock } from "../framework/handle.js";
import type { QueuedPodInfo } from "../framework/interfaces.js";
import type { Status } from "../framework/status.js";
import type { ClusterEvent, QueueingHint } from "./events.js";
import { IN_TREE_QUEUEING_HINTS } from "./events.js";
import { KeyedHeap } from "./heap.js";

/** Upstream's default initial backoff: 1 s. */
export const DEFAULT_INITIAL_BACKOFF_MS = 1_000;
/** Upstream's default maximum backoff: 10 s. */
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
/** How long a pod may sit in the unschedulable set before a flush moves it anyway: 5 minutes. */
export const DEFAULT_UNSCHEDULABLE_TIMEOUT_MS = 5 * 60 * 1_000;

/** Queue settings. */
export interface SchedulingQueueOptions {
  clock: Clock;
  /** QueueSort's ordering: true when `a` should be scheduled before `b`. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins (e.g. scheduling gates); a non-success keeps the pod out of activeQ. */
  preEnqueue?: (pod: Pod) => Status;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  unschedulableTimeoutMs?: number;
  /** Queueing hints by plugin name; defaults to the in-tree ones. */
  hints?: ReadonlyMap<string, QueueingHint>;
}

/** Where a pod currently is. */
export type QueueName = "active" | "backoff" | "unschedulable" | "gated";

const NO_PODS: readonly Pod[] = Object.freeze([]);

/** The three-part scheduling queue. */
export class SchedulingQueue {
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly nominated = new Map<string, Map<string, Pod>>();
  private readonly nominatedNodeOf = new Map<string, string>();
  // nominatedPodsForNode's answers, dropped when a node's nominations change.
  private readonly nominatedLists = new Map<string, readonly Pod[]>();
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;
  private readonly hints: ReadonlyMap<string, QueueingHint>;
  /** Incremented on each pop; a move request during an attempt sends the pod to backoff instead of unschedulable. */
  private schedulingCycle = 0;
  private moveRequestCycle = -1;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.initialBackoffMs = opts.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.unschedulableTimeoutMs = opts.unschedulableTimeoutMs ?? DEFAULT_UNSCHEDULABLE_TIMEOUT_MS;
    this.hints = opts.hints ?? IN_TREE_QUEUEING_HINTS;
    const key = (p: QueuedPodInfo) => podKey(p.pod);
    this.activeQ = new KeyedHeap(key, opts.less);
    this.backoffQ = new KeyedHeap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** A new pending pod (informer add). */
  add(pod: Pod): void {
    const now = this.opts.clock.now();
    const info: QueuedPodInfo = {
      pod,
      initialAttemptTimestamp: now,
      timestamp: now,
      attempts: 0,
      unschedulablePlugins: new Set(),
      pendingPlugins: new Set(),
    };
    this.deleteEverywhere(podKey(pod));
    this.moveToActiveOrGate(info);
    this.addNominated(pod);
  }

  /** A pending pod changed (informer update): a gated pod is re-checked, others updated where they are. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const active = this.activeQ.get(key);
    if (active) {
      this.activeQ.addOrUpdate({ ...active, pod });
    } else if (this.backoffQ.get(key)) {
      this.backoffQ.addOrUpdate({ ...this.backoffQ.get(key)!, pod });
    } else {
      const parked = this.unschedulable.get(key);
      if (!parked) {
        if (!this.inFlight.has(key)) this.add(pod);
        return;
      }
      this.unschedulable.delete(key);
      const info = { ...parked, pod };
      // The pod itself changed: it deserves a new attempt (upstream requeues on spec changes that matter).
      if (info.gatingPlugin) this.moveToActiveOrGate(info);
      else this.requeue(info);
    }
    this.removeNominated(pod);
    this.addNominated(pod);
  }

  /** A pending pod was deleted or got bound elsewhere. */
  delete(pod: Pod): void {
    this.deleteEverywhere(podKey(pod));
    this.removeNominated(pod);
  }

  /** The next pod to schedule, or undefined when the active queue is empty. */
  pop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (!info) return undefined;
    this.schedulingCycle++;
    info.attempts++;
    this.inFlight.set(podKey(info.pod), info);
    return info;
  }

  /** The scheduler is done with a popped pod (bound or requeued). */
  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /**
   * A failed attempt: rejected pods go to the unschedulable set (or to
   * backoff if a cluster event arrived during the attempt); pods that failed
   * with an error, or rejected by no plugin, go to backoff.
   */
  addUnschedulableIfNotPresent(
    info: QueuedPodInfo,
    unschedulablePlugins: ReadonlySet<string>,
    podSchedulingCycle = this.schedulingCycle,
  ): void {
    const key = podKey(info.pod);
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    const requeued: QueuedPodInfo = {
      ...info,
      timestamp: this.opts.clock.now(),
      unschedulablePlugins: new Set(unschedulablePlugins),
    };
    if (unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(requeued);
    } else {
      this.unschedulable.set(key, requeued);
    }
  }

  /** The current scheduling cycle (pass to addUnschedulableIfNotPresent for pods popped earlier). */
  get currentCycle(): number {
    return this.schedulingCycle;
  }

  /**
   * A cluster event: unschedulable pods whose rejecting plugins' hints say
   * it may help move to backoff (if still backing off) or active.
   */
  onEvent(event: ClusterEvent): void {
    let moved = false;
    if (this.unschedulable.size > 0) {
      for (const [key, info] of [...this.unschedulable]) {
        if (info.gatingPlugin) continue;
        if (!this.eventMayHelp(info, event)) continue;
        this.unschedulable.delete(key);
        this.requeue(info);
        moved = true;
      }
    }
    // A new pending pod changes nothing for pods in flight unless it woke someone.
    if (event.type !== "UnscheduledPodAdd" || moved) this.moveRequestCycle = this.schedulingCycle;
  }

  /**
   * Periodic housekeeping: backoff pods whose backoff ended go active, and
   * pods unschedulable for longer than the timeout are requeued.
   */
  flush(): void {
    const now = this.opts.clock.now();
    for (;;) {
      const next = this.backoffQ.peek();
      if (!next || this.backoffExpiry(next) > now) break;
      this.backoffQ.pop();
      this.activeQ.addOrUpdate(next);
    }
    for (const [key, info] of [...this.unschedulable]) {
      if (info.gatingPlugin) continue;
      if (now - info.timestamp > this.unschedulableTimeoutMs) {
        this.unschedulable.delete(key);
        this.requeue(info);
      }
    }
  }

  /** How long a pod backs off after its attempts: initial × 2^(attempts−1), capped at the maximum. */
  backoffDuration(info: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < info.attempts; i++) {
      if (d > this.maxBackoffMs - d) return this.maxBackoffMs;
      d += d;
    }
    return d;
  }

  /** Where a pod is, if anywhere. */
  where(pod: Pod): QueueName | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return "active";
    if (this.backoffQ.has(key)) return "backoff";
    const parked = this.unschedulable.get(key);
    if (parked) return parked.gatingPlugin ? "gated" : "unschedulable";
    return undefined;
  }

  /** Counts per queue. */
  sizes(): Record<QueueName, number> {
    let gated = 0;
    for (const i of this.unschedulable.values()) if (i.gatingPlugin) gated++;
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size,
      unschedulable: this.unschedulable.size - gated,
      gated,
    };
  }

  /** Records that preemption nominated `nodeName` for the pod (it keeps the space reserved). */
  addNominatedPod(pod: Pod, nodeName: string): void {
    this.removeNominated(pod);
    const withNomination: Pod = { ...pod, status: { ...pod.status, nominatedNodeName: nodeName } };
    this.addNominated(withNomination);
    // The queued copy carries the nomination too, so the next attempt tries that node first
    // (the apiserver's status update will bring the same through update()).
    const key = podKey(pod);
    const active = this.activeQ.get(key);
    if (active) this.activeQ.addOrUpdate({ ...active, pod: withNomination });
    const backoff = this.backoffQ.get(key);
    if (backoff) this.backoffQ.addOrUpdate({ ...backoff, pod: withNomination });
    const parked = this.unschedulable.get(key);
    if (parked) this.unschedulable.set(key, { ...parked, pod: withNomination });
  }

  /** Pods nominated to run on a node, for filters that must leave room for them. */
  nominatedPodsForNode(nodeName: string): readonly Pod[] {
    // Asked once per node per cycle: the list is kept until the node's nominations change.
    if (this.nominated.size === 0) return NO_PODS;
    const pods = this.nominated.get(nodeName);
    if (!pods || pods.size === 0) return NO_PODS;
    let list = this.nominatedLists.get(nodeName);
    if (list === undefined) {
      list = [...pods.values()];
      this.nominatedLists.set(nodeName, list);
    }
    return list;
  }

  private addNominated(pod: Pod): void {
    const nodeName = pod.status?.nominatedNodeName;
    if (!nodeName) return;
    const key = podKey(pod);
    const onNode = this.nominated.get(nodeName) ?? new Map<string, Pod>();
    onNode.set(key, pod);
    this.nominated.set(nodeName, onNode);
    this.nominatedLists.delete(nodeName);
    this.nominatedNodeOf.set(key, nodeName);
  }

  private removeNominated(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = this.nominatedNodeOf.get(key);
    if (!nodeName) return;
    this.nominated.get(nodeName)?.delete(key);
    this.nominatedLists.delete(nodeName);
    if (this.nominated.get(nodeName)?.size === 0) this.nominated.delete(nodeName);
    this.nominatedNodeOf.delete(key);
  }

  private eventMayHelp(info: QueuedPodInfo, event: ClusterEvent): boolean {
    if (info.unschedulablePlugins.size === 0) return true;
    for (const plugin of info.unschedulablePlugins) {
      const hint = this.hints.get(plugin);
      if (!hint || hint(info.pod, event)) return true;
    }
    return false;
  }

  private requeue(info: QueuedPodInfo): void {
    if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
    else this.activeQ.addOrUpdate(info);
  }

  private moveToActiveOrGate(info: QueuedPodInfo): void {
    const s = this.opts.preEnqueue?.(info.pod);
    if (s && !s.isSuccess()) {
      this.unschedulable.set(podKey(info.pod), { ...info, gatingPlugin: s.plugin || "PreEnqueue" });
      return;
    }
    const { gatingPlugin: _, ...ungated } = info;
    this.activeQ.addOrUpdate(ungated);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return info.attempts > 0 && this.backoffExpiry(info) > this.opts.clock.now();
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info);
  }

  private deleteEverywhere(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }
}
