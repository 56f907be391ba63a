/**
 * Choosing victims on one node, and choosing among candidate nodes, with
 * upstream DefaultPreemption's rules.
 */
import type { Pod, PodDisruptionBudget } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { FilterRunner } from "../../framework/handle.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status } from "../../framework/status.js";
import { splitByPdbViolation } from "./pdb.js";

/** A node where preemption would let the pod run, and the pods it would evict. */
export interface Candidate {
  nodeName: string;
  victims: Pod[];
  numPdbViolations: number;
}

/** The priority of a pod (0 when unset). */
export function priorityOf(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

// Parsed once per pod object: candidates are compared by it hundreds of times per preemption.
const startTimes = new WeakMap<Pod, number>();

function startTime(pod: Pod): number {
  let parsed = startTimes.get(pod);
  if (parsed === undefined) {
    const t = pod.status?.startTime ?? pod.metadata.creationTimestamp;
    parsed = t ? Date.parse(t) : 0;
    startTimes.set(pod, parsed);
  }
  return parsed;
}

/** Upstream's MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportant(a: Pod, b: Pod): boolean {
  const pa = priorityOf(a);
  const pb = priorityOf(b);
  if (pa !== pb) return pa > pb;
  return startTime(a) < startTime(b);
}

/** The reason for a node where removing every lower-priority pod frees nothing useful. */
export const NO_VICTIMS = "No preemption victims found for incoming pod";

/**
 * The fewest, least important pods to evict from the node so the pod fits:
 * remove every lower-priority pod, check the pod fits, then add pods back,
 * most important first (PDB-protected ones before others), keeping each that
 * still leaves room.
 */
export function selectVictimsOnNode(
  runner: FilterRunner,
  state: CycleState,
  pod: Pod,
  original: NodeInfo,
  pdbs: readonly PodDisruptionBudget[],
): { candidate?: Candidate; status: Status } {
  const priority = priorityOf(pod);
  const lower: Pod[] = [];
  for (const p of original.pods) if (priorityOf(p.pod) < priority) lower.push(p.pod);
  // Nothing to evict: decided before paying for the copies of the node and the state.
  if (lower.length === 0)
    return { status: new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS]) };
  const nodeInfo = original.clone();
  const sim = state.clone();
  for (const victim of lower) {
    nodeInfo.removePod(victim);
    const s = runner.runPreFilterExtensionRemovePod(sim, pod, victim, nodeInfo);
    if (!s.isSuccess()) return { status: s };
  }
  const fits = runner.runFilterPlugins(sim, pod, nodeInfo);
  if (!fits.isSuccess()) return { status: fits };
  const sorted = [...lower].sort((a, b) =>
    moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0,
  );
  const { violating, nonViolating } = splitByPdbViolation(sorted, pdbs);
  const victims: Pod[] = [];
  let numPdbViolations = 0;
  const reprieve = (p: Pod, isViolating: boolean) => {
    nodeInfo.addPod(p);
    runner.runPreFilterExtensionAddPod(sim, pod, p, nodeInfo);
    if (runner.runFilterPlugins(sim, pod, nodeInfo).isSuccess()) return;
    nodeInfo.removePod(p);
    runner.runPreFilterExtensionRemovePod(sim, pod, p, nodeInfo);
    victims.push(p);
    if (isViolating) numPdbViolations++;
  };
  for (const p of violating) reprieve(p, true);
  for (const p of nonViolating) reprieve(p, false);
  if (victims.length === 0)
    return { status: new Status(Code.UnschedulableAndUnresolvable, [NO_VICTIMS]) };
  return {
    candidate: { nodeName: original.name, victims, numPdbViolations },
    status: new Status(Code.Success),
  };
}

/**
 * The candidate to preempt on, by upstream's criteria in order: fewest PDB
 * violations; lowest highest-victim priority; lowest sum of victim
 * priorities; fewest victims; latest start among the most important victims;
 * then the first. A candidate without victims wins at once.
 */
export function pickOneCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const free = candidates.find((c) => c.victims.length === 0);
  if (free) return free;
  // Each candidate's criteria computed once (there are hundreds at scale), then compared in order.
  let best: Candidate | undefined;
  let bestKeys: number[] = [];
  for (const c of candidates) {
    const keys = candidateKeys(c);
    if (!best || lessKeys(keys, bestKeys)) {
      best = c;
      bestKeys = keys;
    }
  }
  return best;
}

/** The criteria of {@link pickOneCandidate} for one candidate, lower is better, in order. */
function candidateKeys(c: Candidate): number[] {
  let highest = Number.NEGATIVE_INFINITY;
  // Shift priorities so negative ones still sum in order (upstream adds MaxInt32 + 1).
  let sum = 0;
  for (const v of c.victims) {
    const p = priorityOf(v);
    if (p > highest) highest = p;
    sum += p + 2 ** 31;
  }
  let earliestStartOfHighest = Number.POSITIVE_INFINITY;
  for (const v of c.victims) {
    if (priorityOf(v) === highest)
      earliestStartOfHighest = Math.min(earliestStartOfHighest, startTime(v));
  }
  return [c.numPdbViolations, highest, sum, c.victims.length, -earliestStartOfHighest];
}

// Strictly better on the first criterion that differs; ties keep the earlier candidate.
function lessKeys(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
