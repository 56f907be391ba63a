/**
 * A Framework is one profile's plugins, instantiated, with a method per
 * extension point that runs that point's plugins in upstream's order and
 * combines their statuses the way upstream does.
 */
import type { Pod } from "../api/types.js";
import type { CycleState } from "./cycle-state.js";
import type { Handle } from "./handle.js";
import {
  type BatchFilterPlugin,
  type BatchScorePlugin,
  type BindPlugin,
  EXTENSION_POINTS,
  type ExtensionPoint,
  type FilterPlugin,
  implementsPoint,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type NodeScore,
  type NodeToStatus,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueuedPodInfo,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from "./interfaces.js";
import { type NodeInfo, samePod } from "./node-info.js";
import { expandProfile, type Profile } from "./profile.js";
import type { Registry } from "./registry.js";
import { asStatus, Code, Status, success } from "./status.js";
import { WaitingPod, WaitingPods } from "./waiting-pods.js";

/** A profile that cannot be built: unknown plugin, plugin missing an extension point, bad weight. */
export class FrameworkError extends Error {
  override readonly name = "FrameworkError";
}

/** The longest a Permit plugin may hold a pod (upstream's maxTimeout: 15 minutes). */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60 * 1000;

/** A node's total score and the per-plugin scores that made it. */
export interface NodePluginScores {
  name: string;
  totalScore: number;
  scores: { plugin: string; score: number }[];
}

/** The outcome of PreFilter: a status and, when narrowed, the node names to consider. */
export interface PreFilterOutcome {
  status: Status;
  nodeNames?: ReadonlySet<string>;
}

/** One profile's plugins, ready to run. */
export class Framework {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  /** Pods held at Permit in this profile. */
  readonly waitingPods = new WaitingPods();
  private readonly byPoint = new Map<ExtensionPoint, Plugin[]>();
  // The in-process Filter plugins, looked up once: runFilterPlugins runs per node.
  private filterPlugins: FilterPlugin[] = [];
  private readonly scoreWeights = new Map<string, number>();

  constructor(
    profile: Profile,
    registry: Registry,
    readonly handle: Handle,
  ) {
    this.profileName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    // Plugins of this profile see this framework as their Filter runner.
    const ownHandle: Handle = {
      ...handle,
      snapshot: () => handle.snapshot(),
      runner: this,
      waitingPods: this.waitingPods,
    };
    const instances = new Map<string, Plugin>();
    const instance = (name: string): Plugin => {
      let plugin = instances.get(name);
      if (!plugin) {
        const factory = registry.get(name);
        if (!factory) throw new FrameworkError(`plugin "${name}" does not exist`);
        plugin = factory(profile.pluginConfig.get(name), ownHandle);
        instances.set(name, plugin);
      }
      return plugin;
    };
    const multiPoint = new Set<string>();
    for (const ref of profile.plugins.multiPoint.enabled) {
      if (multiPoint.has(ref.name)) {
        throw new FrameworkError(`plugin "${ref.name}" already registered as "multiPoint"`);
      }
      multiPoint.add(ref.name);
    }
    const expanded = expandProfile(profile.plugins, (name, point) =>
      implementsPoint(instance(name), point),
    );
    for (const point of EXTENSION_POINTS) {
      const plugins: Plugin[] = [];
      for (const ref of expanded[point]) {
        const plugin = instance(ref.name);
        if (!implementsPoint(plugin, point)) {
          throw new FrameworkError(`plugin "${ref.name}" does not extend ${point} plugin`);
        }
        if (plugins.includes(plugin)) {
          throw new FrameworkError(`plugin "${ref.name}" already registered as "${point}"`);
        }
        plugins.push(plugin);
        if (point === "score") {
          const weight = ref.weight ?? 1;
          if (!Number.isInteger(weight) || weight < 0) {
            throw new FrameworkError(
              `plugin "${ref.name}": score weight must be a non-negative integer`,
            );
          }
          // Upstream treats weight 0 as the default of 1.
          this.scoreWeights.set(ref.name, weight === 0 ? 1 : weight);
        }
      }
      this.byPoint.set(point, plugins);
    }
    this.filterPlugins = this.plugins<FilterPlugin>("filter").filter(
      (p) => typeof p.filter === "function",
    );
    if (this.plugins("queueSort").length !== 1) {
      throw new FrameworkError(
        `profile "${profile.schedulerName}": exactly one queueSort plugin is required, got ${this.plugins("queueSort").length}`,
      );
    }
    if (this.plugins("bind").length === 0) {
      throw new FrameworkError(
        `profile "${profile.schedulerName}": at least one bind plugin is required`,
      );
    }
  }

  /** The plugins enabled at a point, in run order. */
  plugins<T extends Plugin = Plugin>(point: ExtensionPoint): T[] {
    return (this.byPoint.get(point) ?? []) as T[];
  }

  /** The weight of a score plugin. */
  scoreWeight(plugin: string): number {
    return this.scoreWeights.get(plugin) ?? 1;
  }

  /** The queue ordering of this profile's QueueSort plugin. */
  queueSortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.plugins<QueueSortPlugin>("queueSort")[0]!.less(a, b);
  }

  /** PreEnqueue: the first non-success status keeps the pod out of the active queue. */
  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.plugins<PreEnqueuePlugin>("preEnqueue")) {
      const s = guard(() => p.preEnqueue(pod)).withPlugin(p.name);
      if (!s.isSuccess()) return s;
    }
    return success();
  }

  /**
   * PreFilter: stops at the first rejection; a Skip marks the plugin's
   * Filter as not to run; node sets returned by plugins are intersected.
   */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
    let nodeNames: Set<string> | undefined;
    const pluginsWithNodes: string[] = [];
    for (const p of this.plugins<PreFilterPlugin>("preFilter")) {
      let outcome: ReturnType<PreFilterPlugin["preFilter"]>;
      try {
        outcome = p.preFilter(state, pod, nodes);
      } catch (e) {
        return { status: asStatus(e).withPlugin(p.name) };
      }
      const s = outcome.status.withPlugin(p.name);
      if (s.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!s.isSuccess()) {
        if (s.code === Code.Error) {
          return {
            status: new Status(
              Code.Error,
              [`running PreFilter plugin "${p.name}": ${s.message()}`],
              s.cause,
            ).withPlugin(p.name),
          };
        }
        return { status: s };
      }
      const narrowed = outcome.result?.nodeNames;
      if (narrowed) {
        pluginsWithNodes.push(p.name);
        nodeNames = nodeNames
          ? new Set([...nodeNames].filter((n) => narrowed.has(n)))
          : new Set(narrowed);
        if (nodeNames.size === 0) {
          return {
            // Worded as upstream: one plugin by name, several as Go prints a []string.
            status: new Status(Code.UnschedulableAndUnresolvable, [
              pluginsWithNodes.length === 1
                ? `node(s) didn't satisfy plugin ${p.name}`
                : `node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(" ")}] simultaneously`,
            ]).withPlugin(p.name),
            nodeNames,
          };
        }
      }
    }
    return nodeNames ? { status: success(), nodeNames } : { status: success() };
  }

  /** Filter on one node: the first non-success status wins (an Error stays an Error). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    // Called for every node of every cycle: a plain loop, no closures, and the
    // plugins' own Success returned without touching it.
    const plugins = this.filterPlugins;
    const skip = state.skipFilterPlugins;
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      if (skip.size > 0 && skip.has(p.name)) continue;
      let s: Status;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (e) {
        s = asStatus(e);
      }
      if (s.code === Code.Success) continue;
      s.withPlugin(p.name);
      if (!s.isRejected() && s.code !== Code.Error) {
        return new Status(Code.Error, [
          `plugin "${p.name}" returned ${s.codeName()} from Filter`,
        ]).withPlugin(p.name);
      }
      return s;
    }
    return success();
  }

  /**
   * Filter as if pods nominated to this node with at least the pod's
   * priority were already there (they hold the room preemption made for
   * them), then, if that passes, without them: the pod must fit both ways.
   */
  runFilterPluginsWithNominatedPods(
    state: CycleState,
    pod: Pod,
    nodeInfo: NodeInfo,
    nominated: readonly Pod[],
  ): Status {
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const priority = pod.spec.priority ?? 0;
    const others: Pod[] = [];
    for (const p of nominated) {
      if ((p.spec.priority ?? 0) >= priority && !samePod(p, pod)) others.push(p);
    }
    if (others.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    // Only PreFilter extensions write to the state: without an active one, it needs no copy.
    const withState = this.hasActivePreFilterExtensions(state) ? state.clone() : state;
    const withNode = nodeInfo.clone();
    for (const p of others) {
      withNode.addPod(p);
      const s = this.runPreFilterExtensionAddPod(withState, pod, p, withNode);
      if (!s.isSuccess()) return s;
    }
    const first = this.runFilterPlugins(withState, pod, withNode);
    if (!first.isSuccess()) return first;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  /** True when a PreFilter plugin with AddPod/RemovePod extensions has state in this cycle. */
  private hasActivePreFilterExtensions(state: CycleState): boolean {
    for (const p of this.plugins<PreFilterPlugin>("preFilter")) {
      if (!state.skipFilterPlugins.has(p.name) && p.preFilterExtensions?.()) return true;
    }
    return false;
  }

  /** Tells every PreFilter plugin's state that `podToAdd` joins the node (simulation). */
  runPreFilterExtensionAddPod(
    state: CycleState,
    podToSchedule: Pod,
    podToAdd: Pod,
    nodeInfo: NodeInfo,
  ): Status {
    for (const p of this.plugins<PreFilterPlugin>("preFilter")) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = guard(() => ext.addPod(state, podToSchedule, podToAdd, nodeInfo)).withPlugin(
        p.name,
      );
      if (!s.isSuccess()) return s;
    }
    return success();
  }

  /** Tells every PreFilter plugin's state that `podToRemove` leaves the node (simulation). */
  runPreFilterExtensionRemovePod(
    state: CycleState,
    podToSchedule: Pod,
    podToRemove: Pod,
    nodeInfo: NodeInfo,
  ): Status {
    for (const p of this.plugins<PreFilterPlugin>("preFilter")) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = guard(() => ext.removePod(state, podToSchedule, podToRemove, nodeInfo)).withPlugin(
        p.name,
      );
      if (!s.isSuccess()) return s;
    }
    return success();
  }

  /** True when a batch (out-of-process) Filter plugin is enabled. */
  hasBatchFilters(): boolean {
    return this.batchFilterPlugins().length > 0;
  }

  /**
   * The batch Filter plugins, one call each with every node still feasible;
   * returns the statuses of nodes they rejected.
   */
  async runBatchFilterPlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): Promise<Map<string, Status>> {
    const rejected = new Map<string, Status>();
    let feasible = nodes;
    for (const p of this.batchFilterPlugins()) {
      if (state.skipFilterPlugins.has(p.name) || feasible.length === 0) continue;
      let verdicts: ReadonlyMap<string, Status>;
      try {
        verdicts = await p.filterBatch(state, pod, feasible);
      } catch (e) {
        for (const n of feasible) rejected.set(n.name, asStatus(e).withPlugin(p.name));
        return rejected;
      }
      const next: NodeInfo[] = [];
      for (const n of feasible) {
        const s = (
          verdicts.get(n.name) ??
          new Status(Code.Error, [`plugin "${p.name}" gave no verdict for node "${n.name}"`])
        ).withPlugin(p.name);
        if (s.isSuccess() || s.isSkip()) next.push(n);
        else rejected.set(n.name, s);
      }
      feasible = next;
    }
    return rejected;
  }

  private batchFilterPlugins(): BatchFilterPlugin[] {
    return this.plugins<BatchFilterPlugin>("filter").filter(
      (p) => typeof p.filterBatch === "function",
    );
  }

  /** PostFilter (preemption): stops at the first plugin that succeeds or errors. */
  async runPostFilterPlugins(
    state: CycleState,
    pod: Pod,
    statuses: NodeToStatus,
  ): Promise<{ nominatedNodeName?: string; status: Status }> {
    const reasons: string[] = [];
    let rejector = "";
    for (const p of this.plugins<PostFilterPlugin>("postFilter")) {
      let out: { nominatedNodeName?: string; status: Status };
      try {
        out = await p.postFilter(state, pod, statuses);
      } catch (e) {
        return { status: asStatus(e).withPlugin(p.name) };
      }
      out.status.withPlugin(p.name);
      if (out.status.isSuccess() || out.status.code === Code.Error) return out;
      reasons.push(...out.status.reasons);
      rejector ||= p.name;
    }
    return { status: new Status(Code.Unschedulable, reasons).withPlugin(rejector) };
  }

  /** PreScore: a Skip marks the plugin's Score as not to run; the first failure stops. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.plugins<PreScorePlugin>("preScore")) {
      const s = guard(() => p.preScore(state, pod, nodes)).withPlugin(p.name);
      if (s.isSkip()) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (!s.isSuccess())
        return new Status(
          Code.Error,
          [`running PreScore plugin "${p.name}": ${s.message()}`],
          s.cause,
        ).withPlugin(p.name);
    }
    return success();
  }

  /**
   * Score: every plugin scores every node, normalizes, and is weighted;
   * returns per-node totals in the order of `nodes`.
   */
  async runScorePlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): Promise<{ scores: NodePluginScores[]; status: Status }> {
    const result: NodePluginScores[] = nodes.map((n) => ({
      name: n.name,
      totalScore: 0,
      scores: [],
    }));
    // One NodeScore per node, reused by every in-process plugin (reset before each).
    const reused: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const p of this.plugins<ScorePlugin & BatchScorePlugin>("score")) {
      if (state.skipScorePlugins.has(p.name)) continue;
      let scores: NodeScore[];
      if (typeof p.scoreBatch === "function") {
        let out: NodeScore[] | Status;
        try {
          out = await p.scoreBatch(state, pod, nodes);
        } catch (e) {
          out = asStatus(e);
        }
        if (out instanceof Status) return { scores: [], status: errorAt("Score", p.name, out) };
        const byName = new Map(out.map((s) => [s.name, s.score]));
        scores = nodes.map((n) => ({ name: n.name, score: byName.get(n.name) ?? 0 }));
      } else {
        scores = reused;
        for (let i = 0; i < nodes.length; i++) {
          let s: number | Status;
          try {
            s = p.score(state, pod, nodes[i]!);
          } catch (e) {
            s = asStatus(e);
          }
          if (typeof s !== "number") return { scores: [], status: errorAt("Score", p.name, s) };
          const entry = scores[i]!;
          // normalizeScore may have written to the entry: reset it fully.
          entry.name = nodes[i]!.name;
          entry.score = s;
        }
        if (p.normalizeScore) {
          const s = guard(() => p.normalizeScore!(state, pod, scores));
          if (!s.isSuccess()) return { scores: [], status: errorAt("NormalizeScore", p.name, s) };
        }
      }
      const weight = this.scoreWeight(p.name);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        if (s.score > MAX_NODE_SCORE || s.score < MIN_NODE_SCORE) {
          return {
            scores: [],
            status: new Status(Code.Error, [
              `plugin "${p.name}" returns an invalid score ${s.score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`,
            ]).withPlugin(p.name),
          };
        }
        const weighted = s.score * weight;
        result[i]!.scores.push({ plugin: p.name, score: weighted });
        result[i]!.totalScore += weighted;
      }
    }
    return { scores: result, status: success() };
  }

  /** Reserve: the first failure stops (the caller then runs Unreserve on all). */
  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.plugins<ReservePlugin>("reserve")) {
      const s = guard(() => p.reserve(state, pod, nodeName)).withPlugin(p.name);
      if (!s.isSuccess()) return s;
    }
    return success();
  }

  /** Unreserve, in reverse order of Reserve; must not fail. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of [...this.plugins<ReservePlugin>("reserve")].reverse()) {
      try {
        p.unreserve(state, pod, nodeName);
      } catch {
        // Unreserve is best-effort by contract; one plugin failing must not stop the others.
      }
    }
  }

  /**
   * Permit: a rejection stops; Wait statuses collect timeouts and put the
   * pod among the waiting pods, returning Wait.
   */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    const timeouts = new Map<string, number>();
    for (const p of this.plugins<PermitPlugin>("permit")) {
      let out: { status: Status; timeoutMs: number };
      try {
        out = p.permit(state, pod, nodeName);
      } catch (e) {
        out = { status: asStatus(e), timeoutMs: 0 };
      }
      const s = out.status.withPlugin(p.name);
      if (s.isWait()) {
        timeouts.set(p.name, Math.min(out.timeoutMs, MAX_PERMIT_TIMEOUT_MS));
        continue;
      }
      if (!s.isSuccess()) return s;
    }
    if (timeouts.size > 0) {
      this.waitingPods.add(new WaitingPod(pod, timeouts, this.handle.clock));
      return new Status(Code.Wait, [
        `one or more plugins asked to wait and no plugin rejected pod "${pod.metadata.name}"`,
      ]);
    }
    return success();
  }

  /** Waits for a pod held at Permit; Success when it was not waiting. */
  async waitOnPermit(pod: Pod): Promise<Status> {
    const key = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
    const wp = this.waitingPods.get(key);
    if (!wp) return success();
    const s = await wp.result;
    this.waitingPods.remove(pod);
    return s;
  }

  /** PreBind: the first failure stops. */
  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.plugins<PreBindPlugin>("preBind")) {
      const s = (await guardAsync(() => p.preBind(state, pod, nodeName))).withPlugin(p.name);
      if (s.isSkip()) continue;
      if (!s.isSuccess()) return s;
    }
    return success();
  }

  /** Bind: the first plugin that does not Skip decides. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.plugins<BindPlugin>("bind")) {
      const s = (await guardAsync(() => p.bind(state, pod, nodeName))).withPlugin(p.name);
      if (s.isSkip()) continue;
      return s;
    }
    return new Status(Code.Skip, ["all bind plugins skipped"]);
  }

  /** PostBind: informational. */
  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.plugins<PostBindPlugin>("postBind")) {
      try {
        p.postBind(state, pod, nodeName);
      } catch {
        // PostBind cannot change the outcome; a throwing plugin is ignored.
      }
    }
  }
}

function errorAt(point: string, plugin: string, s: Status): Status {
  return new Status(
    Code.Error,
    [`running ${point} plugin "${plugin}": ${s.message()}`],
    s.cause,
  ).withPlugin(plugin);
}

function guard(fn: () => Status): Status {
  try {
    return fn();
  } catch (e) {
    return asStatus(e);
  }
}

async function guardAsync(fn: () => Promise<Status> | Status): Promise<Status> {
  try {
    return await fn();
  } catch (e) {
    return asStatus(e);
  }
}
