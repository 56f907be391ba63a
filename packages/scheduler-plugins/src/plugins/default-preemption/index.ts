/**
 * DefaultPreemption (PostFilter): when no node fits, find nodes where
 * evicting lower-priority pods would make room, pick the one that hurts
 * least (respecting PodDisruptionBudgets), evict the victims through the
 * Handle's PodDeleter and nominate the node for the pod.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import type { NodeToStatus, PostFilterPlugin } from "../../framework/interfaces.js";
import { Code, Status } from "../../framework/status.js";
import { reasonHistogram } from "../../scheduler/fit-error.js";
import { ArgsError } from "../node-resources-fit/args.js";
import { type Candidate, pickOneCandidate, priorityOf, selectVictimsOnNode } from "./candidates.js";

/** The plugin's name. */
export const NAME = "DefaultPreemption";
/** The status reason for nodes where preemption cannot help. */
export const NOT_HELPFUL = "Preemption is not helpful for scheduling";

/** DefaultPreemptionArgs. */
export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

/** Validates the args (defaults 10% and 100); throws ArgsError. */
export function validateArgs(raw: unknown): Required<DefaultPreemptionArgs> {
  const a = (raw ?? {}) as DefaultPreemptionArgs;
  const pct = a.minCandidateNodesPercentage ?? 10;
  const abs = a.minCandidateNodesAbsolute ?? 100;
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) {
    throw new ArgsError(
      "minCandidateNodesPercentage",
      `Invalid value: ${pct}: not in valid range [0, 100]`,
    );
  }
  if (!Number.isInteger(abs) || abs < 0) {
    throw new ArgsError(
      "minCandidateNodesAbsolute",
      `Invalid value: ${abs}: not in valid range [0, inf)`,
    );
  }
  if (pct === 0 && abs === 0) {
    throw new ArgsError(
      "minCandidateNodesPercentage",
      "Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute",
    );
  }
  return { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs };
}

/** How many candidates to collect before stopping, as upstream. */
export function numCandidates(numNodes: number, args: Required<DefaultPreemptionArgs>): number {
  const n = Math.max(
    Math.trunc((numNodes * args.minCandidateNodesPercentage) / 100),
    args.minCandidateNodesAbsolute,
  );
  return Math.min(n, numNodes);
}

/**
 * Where the dry run starts among the potential nodes, and how many
 * candidates it collects before stopping (upstream's
 * GetOffsetAndNumCandidates): a random offset, so successive preemptors do
 * not all search the same nodes first, drawn from the injected random source.
 */
export function offsetAndNumCandidates(
  numNodes: number,
  args: Required<DefaultPreemptionArgs>,
  random: () => number,
): { offset: number; wanted: number } {
  const offset = numNodes > 1 ? Math.floor(random() * numNodes) % numNodes : 0;
  return { offset, wanted: numCandidates(numNodes, args) };
}

/** Why the pod may not preempt, or undefined when it may. */
function notEligible(pod: Pod, handle: Handle): string | undefined {
  if (pod.spec.preemptionPolicy === "Never") return "not eligible due to preemptionPolicy=Never.";
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    // A lower-priority pod already terminating there means an earlier preemption is still in progress.
    const node = handle.snapshot().get(nominated);
    if (
      node?.pods.some(
        (p) => p.pod.metadata.deletionTimestamp && priorityOf(p.pod) < priorityOf(pod),
      )
    ) {
      return "not eligible due to a terminating pod on the nominated node.";
    }
  }
  return undefined;
}

function fitMessage(numNodes: number, statuses: NodeToStatus): string {
  return `0/${numNodes} nodes are available: ${reasonHistogram(statuses).join(", ")}.`;
}

/** Builds the plugin. */
export function create(rawArgs: unknown, handle: Handle) {
  const args = validateArgs(rawArgs);
  return {
    name: NAME,
    async postFilter(state: CycleState, pod: Pod, filtered: NodeToStatus) {
      const why = notEligible(pod, handle);
      if (why) return { status: new Status(Code.Unschedulable, [`preemption: ${why}`]) };
      const runner = handle.runner;
      if (!runner)
        return {
          status: new Status(Code.Error, ["preemption needs the framework's filter runner"]),
        };
      const all = handle.snapshot().list();
      const statuses = new Map<string, Status>();
      const potential = all.filter((n) => {
        const s = filtered.get(n.name);
        const helps = !s || s.code !== Code.UnschedulableAndUnresolvable;
        if (!helps)
          statuses.set(n.name, new Status(Code.UnschedulableAndUnresolvable, [NOT_HELPFUL]));
        return helps;
      });
      const pdbs = handle.pdbs?.list() ?? [];
      const { offset, wanted } = offsetAndNumCandidates(potential.length, args, handle.random);
      const candidates: Candidate[] = [];
      for (let i = 0; i < potential.length; i++) {
        if (candidates.length >= wanted) break;
        const n = potential[(offset + i) % potential.length]!;
        const { candidate, status } = selectVictimsOnNode(runner, state, pod, n, pdbs);
        if (candidate) candidates.push(candidate);
        else if (status.code === Code.Error) return { status };
        else statuses.set(n.name, status);
      }
      const chosen = pickOneCandidate(candidates);
      if (!chosen) {
        return {
          status: new Status(Code.Unschedulable, [
            `preemption: ${fitMessage(all.length, statuses)}`,
          ]),
        };
      }
      for (const victim of chosen.victims) {
        try {
          await handle.podDeleter?.deletePod(victim);
        } catch (e) {
          return {
            status: new Status(
              Code.Error,
              [`preemption: deleting victim ${victim.metadata.name}: ${String(e)}`],
              e,
            ),
          };
        }
      }
      return { nominatedNodeName: chosen.nodeName, status: new Status(Code.Success) };
    },
  } satisfies PostFilterPlugin;
}
