/**
 * PodTopologySpread: Filter keeps DoNotSchedule constraints within maxSkew
 * (honouring minDomains and the node inclusion policies); Score spreads by
 * ScheduleAnyway constraints, or by the system defaults for pods of a
 * workload when the pod has none.
 */
import type { LabelSelector, Pod, TopologySpreadConstraint } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import {
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeScore,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";
import { ArgsError } from "../node-resources-fit/args.js";
import { podConstraints, type SpreadDefaults, SYSTEM_DEFAULT_CONSTRAINTS } from "./constraints.js";
import {
  computeSpreadFilterState,
  type SpreadFilterState,
  spreadViolation,
  updateSpreadState,
} from "./filtering.js";
import { computeSpreadScoreState, type SpreadScoreState, spreadScore } from "./scoring.js";

/** The plugin's name. */
export const NAME = "PodTopologySpread";
/** Filter reason: placing the pod on the node would exceed maxSkew. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints";
/** Filter reason: the node lacks a constraint's topology key (unresolvable). */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const FILTER_KEY = `PreFilter${NAME}`;
const SCORE_KEY = `PreScore${NAME}`;

/** A cluster-level default constraint: like a pod's, without a selector (the workload's is used). */
export type DefaultConstraint = Omit<TopologySpreadConstraint, "labelSelector">;

/** PodTopologySpreadArgs. */
export interface PodTopologySpreadArgs {
  /** "System" (default) uses the built-in defaults; "List" uses `defaultConstraints`. */
  defaultingType?: "System" | "List";
  defaultConstraints?: DefaultConstraint[];
}

/** Validates the args; throws ArgsError. */
export function validateArgs(raw: unknown): Required<PodTopologySpreadArgs> {
  const a = (raw ?? {}) as PodTopologySpreadArgs;
  const t = a.defaultingType ?? "System";
  if (t !== "System" && t !== "List") {
    throw new ArgsError("defaultingType", `Unsupported value: "${t}"`);
  }
  const list = a.defaultConstraints ?? [];
  if (t === "System" && list.length > 0) {
    throw new ArgsError(
      "defaultConstraints",
      'Invalid value: when .defaultingType is "System", .defaultConstraints must be empty',
    );
  }
  const seen = new Set<string>();
  for (const [i, c] of list.entries()) {
    const f = `defaultConstraints[${i}]`;
    if (!Number.isInteger(c.maxSkew) || c.maxSkew <= 0) {
      throw new ArgsError(`${f}.maxSkew`, `Invalid value: ${c.maxSkew}: must be greater than zero`);
    }
    if (!c.topologyKey) throw new ArgsError(`${f}.topologyKey`, "Required value: can not be empty");
    if (c.whenUnsatisfiable !== "DoNotSchedule" && c.whenUnsatisfiable !== "ScheduleAnyway") {
      throw new ArgsError(`${f}.whenUnsatisfiable`, `Unsupported value: "${c.whenUnsatisfiable}"`);
    }
    if ("labelSelector" in c) {
      throw new ArgsError(
        `${f}.labelSelector`,
        "Forbidden: default constraints must not define a selector",
      );
    }
    const key = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(key)) {
      throw new ArgsError(f, `Duplicate value: "{${c.topologyKey}, ${c.whenUnsatisfiable}}"`);
    }
    seen.add(key);
  }
  return { defaultingType: t, defaultConstraints: list };
}

/**
 * Where the system defaults get their selector: the selector of a Service,
 * ReplicaSet, ReplicationController or StatefulSet selecting the pod. The
 * scheduler command supplies this from informers; absent, no defaults apply.
 */
export type WorkloadSelector = (pod: Pod) => LabelSelector | undefined;

/** Builds the plugin; `workloadSelector` is optional and enables the system default constraints. */
export function create(rawArgs: unknown, handle: Handle & { workloadSelector?: WorkloadSelector }) {
  const { defaultingType, defaultConstraints } = validateArgs(rawArgs);
  const selectorFor = handle.workloadSelector;
  const defaults: SpreadDefaults | undefined = selectorFor && {
    constraints: defaultingType === "System" ? SYSTEM_DEFAULT_CONSTRAINTS : defaultConstraints,
    system: defaultingType === "System",
    selectorFor,
  };
  const extensions: PreFilterExtensions = {
    addPod(state, incoming, added, nodeInfo) {
      const s = state.read<SpreadFilterState>(FILTER_KEY);
      if (s) updateSpreadState(s, incoming, added, nodeInfo, 1);
      return success();
    },
    removePod(state, incoming, removed, nodeInfo) {
      const s = state.read<SpreadFilterState>(FILTER_KEY);
      if (s) updateSpreadState(s, incoming, removed, nodeInfo, -1);
      return success();
    },
  };
  return {
    name: NAME,
    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]) {
      const { constraints } = podConstraints(pod, "DoNotSchedule", defaults);
      if (constraints.length === 0) return { status: new Status(Code.Skip) };
      state.write(FILTER_KEY, computeSpreadFilterState(pod, constraints, nodes));
      return { status: success() };
    },
    preFilterExtensions: () => extensions,
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const s =
        state.read<SpreadFilterState>(FILTER_KEY) ??
        computeSpreadFilterState(
          pod,
          podConstraints(pod, "DoNotSchedule", defaults).constraints,
          handle.snapshot().list(),
        );
      switch (spreadViolation(s, pod, nodeInfo)) {
        case "missing-label":
          return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_NODE_LABEL_NOT_MATCH]);
        case "skew":
          return new Status(Code.Unschedulable, [ERR_REASON_CONSTRAINTS_NOT_MATCH]);
        default:
          return success();
      }
    },
    preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
      const { constraints, systemDefaulted } = podConstraints(pod, "ScheduleAnyway", defaults);
      if (constraints.length === 0 || nodes.length === 0) return new Status(Code.Skip);
      const requireAll = (pod.spec.topologySpreadConstraints?.length ?? 0) > 0 || !systemDefaulted;
      state.write(
        SCORE_KEY,
        computeSpreadScoreState(pod, constraints, requireAll, nodes, handle.snapshot().list()),
      );
      return success();
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const s = state.read<SpreadScoreState>(SCORE_KEY);
      return s ? spreadScore(s, pod, nodeInfo) : 0;
    },
    normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
      const ignored = state.read<SpreadScoreState>(SCORE_KEY)?.ignoredNodes ?? new Set<string>();
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (const s of scores) {
        if (ignored.has(s.name)) continue;
        min = Math.min(min, s.score);
        max = Math.max(max, s.score);
      }
      for (const s of scores) {
        if (ignored.has(s.name)) s.score = 0;
        else if (max === 0) s.score = MAX_NODE_SCORE;
        else s.score = Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max);
      }
      return success();
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
