/**
 * One scheduling attempt for one pod: the scheduling cycle (snapshot,
 * PreFilter, Filter, PostFilter, PreScore, Score, select, assume, Reserve,
 * Permit), then the binding cycle (wait on Permit, PreBind, Bind, PostBind)
 * running asynchronously, with Unreserve and a requeue on any failure.
 */
import type { Pod } from "../api/types.js";
import { CycleState } from "../framework/cycle-state.js";
import type { Framework } from "../framework/framework.js";
import type { QueuedPodInfo } from "../framework/interfaces.js";
import type { NodeInfo } from "../framework/node-info.js";
import type { Snapshot } from "../framework/snapshot.js";
import { Code, Status } from "../framework/status.js";
import type { SchedulerCache } from "./cache.js";
import { FitError, NO_NODES_AVAILABLE, newDiagnosis } from "./fit-error.js";
import { numFeasibleNodesToFind, selectHost } from "./select-host.js";

/** Where the pod should go, and how many nodes were looked at. */
export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** A failed attempt as the queue and the event recorder need it. */
export interface SchedulingFailure {
  podInfo: QueuedPodInfo;
  /** The status; for a FitError, Unschedulable with the FitError as cause. */
  status: Status;
  /** The FailedScheduling event message. */
  message: string;
  /** Plugins that rejected the pod (empty for errors). */
  unschedulablePlugins: Set<string>;
  /** Set when preemption nominated a node. */
  nominatedNodeName?: string;
}

/** What the scheduler tells the outside world (event recorder, queue, tests). */
export interface SchedulerHooks {
  /** The pod is bound. */
  onScheduled?(pod: Pod, nodeName: string): void;
  /** The attempt failed; the queue should take the pod back. */
  onFailure?(failure: SchedulingFailure): void;
  /** Pods nominated to a node by preemption (the queue's nominator); Filter leaves room for them. */
  nominatedPodsForNode?(nodeName: string): readonly Pod[];
}

/** Runs scheduling attempts against a cache with one framework per profile. */
export class Scheduler {
  private nextStartNodeIndex = 0;
  /** The snapshot of the cycle in progress (plugins read it through their Handle). */
  currentSnapshot: Snapshot | undefined;

  constructor(
    private readonly cache: SchedulerCache,
    private readonly frameworkFor: (pod: Pod) => Framework | undefined,
    private readonly hooks: SchedulerHooks = {},
  ) {}

  /**
   * The scheduling cycle's search: which node the pod should go to, given
   * one snapshot. Throws {@link FitError} when no node fits.
   */
  async schedulePod(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    snapshot: Snapshot,
  ): Promise<ScheduleResult> {
    if (snapshot.size === 0) throw new Error(NO_NODES_AVAILABLE);
    const { feasible, diagnosis } = await this.findNodesThatFitPod(fwk, state, pod, snapshot);
    if (feasible.length === 0) throw new FitError(pod.metadata.name, snapshot.size, diagnosis);
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) {
      return { suggestedHost: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1 };
    }
    const pre = fwk.runPreScorePlugins(state, pod, feasible);
    if (!pre.isSuccess()) throw pre.cause ?? new Error(pre.message());
    const { scores, status } = await fwk.runScorePlugins(state, pod, feasible);
    if (!status.isSuccess()) throw status.cause ?? new Error(status.message());
    return {
      suggestedHost: selectHost(scores, fwk.handle.random),
      evaluatedNodes,
      feasibleNodes: feasible.length,
    };
  }

  private async findNodesThatFitPod(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    snapshot: Snapshot,
  ) {
    const diagnosis = newDiagnosis();
    const allNodes = snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod, allNodes);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw pre.status.cause ?? new Error(pre.status.message());
      // A PreFilter rejection applies to every node.
      for (const n of allNodes) diagnosis.nodeToStatus.set(n.name, pre.status);
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [] as NodeInfo[], diagnosis };
    }
    // A nominated node (from an earlier preemption) is tried first.
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const n = snapshot.get(nominated);
      if (
        n &&
        (!pre.nodeNames || pre.nodeNames.has(nominated)) &&
        this.filter(fwk, state, pod, n).isSuccess()
      ) {
        const batch = await fwk.runBatchFilterPlugins(state, pod, [n]);
        if (batch.size === 0) return { feasible: [n], diagnosis };
      }
    }
    let candidates = allNodes;
    if (pre.nodeNames) {
      const names = pre.nodeNames;
      candidates = allNodes.filter((n) => names.has(n.name));
      for (const n of allNodes) {
        if (!names.has(n.name)) {
          diagnosis.nodeToStatus.set(
            n.name,
            new Status(Code.UnschedulableAndUnresolvable, [
              "node is filtered out by the prefilter result",
            ]),
          );
        }
      }
    }
    const wanted = numFeasibleNodesToFind(allNodes.length, fwk.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    const start = candidates.length > 0 ? this.nextStartNodeIndex % candidates.length : 0;
    for (let i = 0; i < candidates.length && feasible.length < wanted; i++) {
      const n = candidates[(start + i) % candidates.length]!;
      processed++;
      const s = this.filter(fwk, state, pod, n);
      if (s.isSuccess()) feasible.push(n);
      else if (s.code === Code.Error) throw s.cause ?? new Error(s.message());
      else {
        diagnosis.nodeToStatus.set(n.name, s);
        if (s.plugin)
          (s.code === Code.Pending ? diagnosis.pendingPlugins : diagnosis.unschedulablePlugins).add(
            s.plugin,
          );
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % Math.max(allNodes.length, 1);
    if (feasible.length > 0 && fwk.hasBatchFilters()) {
      const rejected = await fwk.runBatchFilterPlugins(state, pod, feasible);
      for (const [name, s] of rejected) {
        if (s.code === Code.Error) throw s.cause ?? new Error(s.message());
        diagnosis.nodeToStatus.set(name, s);
        if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
      }
      return { feasible: feasible.filter((n) => !rejected.has(n.name)), diagnosis };
    }
    return { feasible, diagnosis };
  }

  private filter(fwk: Framework, state: CycleState, pod: Pod, n: NodeInfo): Status {
    const nominated = this.hooks.nominatedPodsForNode?.(n.name) ?? [];
    return fwk.runFilterPluginsWithNominatedPods(state, pod, n, nominated);
  }

  /**
   * A whole attempt for a queued pod. Resolves when the scheduling cycle is
   * over, with `binding`: the binding cycle's promise (true when bound).
   */
  async scheduleOne(podInfo: QueuedPodInfo): Promise<{ binding: Promise<boolean> }> {
    const pod = podInfo.pod;
    const fwk = this.frameworkFor(pod);
    if (!fwk) {
      return { binding: Promise.resolve(false) };
    }
    const state = new CycleState();
    const snapshot = this.cache.snapshot();
    this.currentSnapshot = snapshot;
    let result: ScheduleResult;
    try {
      result = await this.schedulePod(fwk, state, pod, snapshot);
    } catch (e) {
      if (e instanceof FitError) {
        let nominatedNodeName: string | undefined;
        if (fwk.plugins("postFilter").length > 0) {
          const post = await fwk.runPostFilterPlugins(state, pod, e.diagnosis.nodeToStatus);
          if (post.status.code !== Code.Error && post.status.message()) {
            e.diagnosis.postFilterMsg = post.status.message();
          }
          nominatedNodeName = post.nominatedNodeName;
        }
        // PostFilter may have added to the diagnosis: render the message now.
        e.message = e.format();
        this.fail(
          podInfo,
          new Status(Code.Unschedulable, [e.message], e),
          e.diagnosis.unschedulablePlugins,
          nominatedNodeName,
        );
      } else {
        this.fail(
          podInfo,
          new Status(Code.Error, [e instanceof Error ? e.message : String(e)], e),
          new Set(),
        );
      }
      return { binding: Promise.resolve(false) };
    }
    const host = result.suggestedHost;
    this.cache.assumePod(pod, host);
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    const reserve = fwk.runReservePluginsReserve(state, assumed, host);
    if (!reserve.isSuccess()) {
      this.undo(fwk, state, assumed, host);
      this.failWith(podInfo, reserve);
      return { binding: Promise.resolve(false) };
    }
    const permit = fwk.runPermitPlugins(state, assumed, host);
    if (!permit.isSuccess() && !permit.isWait()) {
      this.undo(fwk, state, assumed, host);
      this.failWith(podInfo, permit);
      return { binding: Promise.resolve(false) };
    }
    return { binding: this.bindingCycle(fwk, state, podInfo, assumed, host) };
  }

  private async bindingCycle(
    fwk: Framework,
    state: CycleState,
    podInfo: QueuedPodInfo,
    assumed: Pod,
    host: string,
  ): Promise<boolean> {
    for (const step of [
      () => fwk.waitOnPermit(assumed),
      () => fwk.runPreBindPlugins(state, assumed, host),
      () => fwk.runBindPlugins(state, assumed, host),
    ]) {
      const s = await step();
      if (!s.isSuccess()) {
        this.undo(fwk, state, assumed, host);
        this.failWith(podInfo, s.isSkip() ? new Status(Code.Error, s.reasons) : s);
        return false;
      }
    }
    fwk.runPostBindPlugins(state, assumed, host);
    this.hooks.onScheduled?.(assumed, host);
    return true;
  }

  private undo(fwk: Framework, state: CycleState, assumed: Pod, host: string): void {
    fwk.runReservePluginsUnreserve(state, assumed, host);
    this.cache.forgetPod(assumed);
  }

  private failWith(podInfo: QueuedPodInfo, s: Status): void {
    this.fail(podInfo, s, s.isRejected() && s.plugin ? new Set([s.plugin]) : new Set());
  }

  private fail(
    podInfo: QueuedPodInfo,
    status: Status,
    plugins: Set<string>,
    nominatedNodeName?: string,
  ): void {
    const failure: SchedulingFailure = {
      podInfo,
      status,
      message: status.message(),
      unschedulablePlugins: plugins,
    };
    if (nominatedNodeName) failure.nominatedNodeName = nominatedNodeName;
    this.hooks.onFailure?.(failure);
  }
}
