/**
 * The extension points of the scheduling framework, one small interface
 * each. A plugin implements only the points it needs; the framework finds
 * them by the methods present.
 */
import type { Pod } from "../api/types.js";
import type { CycleState } from "./cycle-state.js";
import type { NodeInfo } from "./node-info.js";
import type { Status } from "./status.js";

/** The highest score a plugin may give a node after normalization. */
export const MAX_NODE_SCORE = 100;
/** The lowest score. */
export const MIN_NODE_SCORE = 0;

/** Every plugin has a name, unique within a profile. */
export interface Plugin {
  readonly name: string;
}

/** A pod waiting in the scheduling queue, with its attempt bookkeeping. */
export interface QueuedPodInfo {
  pod: Pod;
  /** When the pod first entered the queue (ms, injected clock). */
  initialAttemptTimestamp: number;
  /** When the pod was last added or moved to the queue (ms). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt (for queueing hints). */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending in its last attempt. */
  pendingPlugins: Set<string>;
  /** PreEnqueue plugins that keep the pod out of the active queue (scheduling gates). */
  gatingPlugin?: string;
}

/** Orders the active queue: `less(a, b)` true when `a` goes first. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** Gates a pod before it enters the active queue (e.g. schedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

/** What PreFilter may return besides a status: the only nodes worth filtering. */
export interface PreFilterResult {
  /** When set, only these nodes are evaluated; undefined means all nodes. */
  nodeNames?: ReadonlySet<string>;
}

/** Adjusts PreFilter state when simulating pods added or removed from a node (preemption, nominated pods). */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status;
}

/** Runs once per cycle before Filter: precomputes state, may narrow the node set or reject the pod. */
export interface PreFilterPlugin extends Plugin {
  preFilter(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

/** Decides whether one node can run the pod. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/**
 * Decides for many nodes at once, asynchronously: the shape of an
 * out-of-process plugin (one round trip per cycle). Runs after the
 * in-process Filter plugins, on the nodes they left feasible.
 */
export interface BatchFilterPlugin extends Plugin {
  filterBatch(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): Promise<ReadonlyMap<string, Status>>;
}

/** The per-node verdicts of a failed Filter phase. */
export type NodeToStatus = ReadonlyMap<string, Status>;

/** Runs when no node fits (preemption); may nominate a node. */
export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: Pod,
    filteredNodeStatus: NodeToStatus,
  ):
    | Promise<{ nominatedNodeName?: string; status: Status }>
    | { nominatedNodeName?: string; status: Status };
}

/** Runs once per cycle before Score with the feasible nodes. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

/** A node's score from one plugin. */
export interface NodeScore {
  name: string;
  score: number;
}

/** Scores one node; returns a number, or a Status when scoring failed. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  /** Rescales this plugin's raw scores into [0, MAX_NODE_SCORE] in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
}

/** Scores many nodes at once, asynchronously (out-of-process plugins); scores already in [0, 100]. */
export interface BatchScorePlugin extends Plugin {
  scoreBatch(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): Promise<NodeScore[] | Status>;
}

/** Claims resources for the pod on the chosen node before binding; undone by unreserve. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

/** Approves, rejects or delays binding. A Wait status holds the pod up to `timeoutMs`. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs: number };
}

/** Prepares binding (e.g. volumes); runs in the binding cycle. */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> | Status;
}

/** Binds the pod to the node. Skip passes to the next Bind plugin. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> | Status;
}

/** Informational, after a successful bind. */
export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** The extension point names as KubeSchedulerConfiguration spells them. */
export const EXTENSION_POINTS = [
  "preEnqueue",
  "queueSort",
  "preFilter",
  "filter",
  "postFilter",
  "preScore",
  "score",
  "reserve",
  "permit",
  "preBind",
  "bind",
  "postBind",
] as const;

/** One extension point name. */
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** True when the plugin implements the given extension point. */
export function implementsPoint(plugin: Plugin, point: ExtensionPoint): boolean {
  const p = plugin as unknown as Record<string, unknown>;
  switch (point) {
    case "preEnqueue":
      return typeof p.preEnqueue === "function";
    case "queueSort":
      return typeof p.less === "function";
    case "preFilter":
      return typeof p.preFilter === "function";
    case "filter":
      return typeof p.filter === "function" || typeof p.filterBatch === "function";
    case "postFilter":
      return typeof p.postFilter === "function";
    case "preScore":
      return typeof p.preScore === "function";
    case "score":
      return typeof p.score === "function" || typeof p.scoreBatch === "function";
    case "reserve":
      return typeof p.reserve === "function";
    case "permit":
      return typeof p.permit === "function";
    case "preBind":
      return typeof p.preBind === "function";
    case "bind":
      return typeof p.bind === "function";
    case "postBind":
      return typeof p.postBind === "function";
  }
}
