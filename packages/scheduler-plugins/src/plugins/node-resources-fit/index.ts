/**
 * NodeResourcesFit: Filter checks that the node's allocatable minus what is
 * already requested covers the pod's requests (and the pod count); Score
 * ranks nodes by LeastAllocated, MostAllocated or RequestedToCapacityRatio.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import type {
  FilterPlugin,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { podRequests, type Resource } from "../../framework/resource.js";
import { Code, Status, success } from "../../framework/status.js";
import { resolveFitArgs } from "./args.js";
import { resourceAmount } from "./requests.js";
import {
  leastAllocated,
  mostAllocated,
  type ResourceScorer,
  requestedToCapacityRatio,
} from "./scorers.js";

/** The plugin's name. */
export const NAME = "NodeResourcesFit";
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

/** One resource the node is short of. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

function isExtendedResource(name: string): boolean {
  // Extended resources are domain-prefixed and not in the kubernetes.io namespace; hugepages are not extended.
  return name.includes("/") && !name.startsWith("kubernetes.io/") && !name.startsWith("requests.");
}

const NONE: ReadonlySet<string> = new Set();

/**
 * True when the node has room for the request: the same checks as
 * {@link fitsRequest} without building the list, for the common case of a fit.
 */
export function fitsAll(
  request: Resource,
  nodeInfo: NodeInfo,
  ignoredResources: ReadonlySet<string> = NONE,
  ignoredGroups: ReadonlySet<string> = NONE,
): boolean {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) return false;
  if (request.milliCPU > 0 && request.milliCPU > alloc.milliCPU - used.milliCPU) return false;
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) return false;
  if (
    request.ephemeralStorage > 0 &&
    request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage
  )
    return false;
  if (request.scalar.size === 0) return true;
  return fitsRequest(request, nodeInfo, ignoredResources, ignoredGroups).length === 0;
}

/**
 * The standard resources the node is short of, as bits (pods 1, cpu 2,
 * memory 4, ephemeral-storage 8): which of fitsRequest's reasons apply when
 * the request has no extended resources.
 */
function insufficientMask(request: Resource, nodeInfo: NodeInfo): number {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  let mask = 0;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) mask |= 1;
  if (request.milliCPU > 0 && request.milliCPU > alloc.milliCPU - used.milliCPU) mask |= 2;
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) mask |= 4;
  if (
    request.ephemeralStorage > 0 &&
    request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage
  )
    mask |= 8;
  return mask;
}

/** Which resources the pod asks for that the node cannot give, in upstream's check order. */
export function fitsRequest(
  request: Resource,
  nodeInfo: NodeInfo,
  ignoredResources: ReadonlySet<string> = NONE,
  ignoredGroups: ReadonlySet<string> = NONE,
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({
      resourceName: "pods",
      reason: "Too many pods",
      requested: 1,
      used: nodeInfo.pods.length,
      capacity: alloc.allowedPodNumber,
    });
  }
  const check = (name: string, want: number, have: number, inUse: number) => {
    if (want > 0 && want > have - inUse) {
      out.push({
        resourceName: name,
        reason: `Insufficient ${name}`,
        requested: want,
        used: inUse,
        capacity: have,
      });
    }
  };
  check("cpu", request.milliCPU, alloc.milliCPU, used.milliCPU);
  check("memory", request.memory, alloc.memory, used.memory);
  check(
    "ephemeral-storage",
    request.ephemeralStorage,
    alloc.ephemeralStorage,
    used.ephemeralStorage,
  );
  for (const [name, want] of request.scalar) {
    if (want === 0) continue;
    if (
      isExtendedResource(name) &&
      (ignoredResources.has(name) || ignoredGroups.has(name.split("/")[0]!))
    )
      continue;
    check(name, want, alloc.scalar.get(name) ?? 0, used.scalar.get(name) ?? 0);
  }
  return out;
}

/** Builds the plugin from NodeResourcesFitArgs. */
export function create(rawArgs: unknown, _handle?: Handle) {
  const args = resolveFitArgs(rawArgs);
  const ignored = new Set(args.ignoredResources);
  const ignoredGroups = new Set(args.ignoredResourceGroups);
  const strategy = args.scoringStrategy;
  const resources = strategy.resources.map((r) => r.name);
  const weights = strategy.resources.map((r) => r.weight ?? 1);
  const scorer: ResourceScorer =
    strategy.type === "MostAllocated"
      ? mostAllocated
      : strategy.type === "RequestedToCapacityRatio"
        ? requestedToCapacityRatio(strategy.requestedToCapacityRatio?.shape ?? [])
        : leastAllocated;
  // Rejections by insufficientMask: at most 16 distinct reason lists.
  const rejections: (Status | undefined)[] = [];
  const scratchRequested: number[] = resources.map(() => 0);
  const scratchAllocatable: number[] = resources.map(() => 0);

  return {
    name: NAME,
    preFilter(state: CycleState, pod: Pod) {
      state.write(PRE_FILTER_KEY, podRequests(pod));
      return { status: success() };
    },
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const request = state.read<Resource>(PRE_FILTER_KEY) ?? podRequests(pod);
      if (fitsAll(request, nodeInfo, ignored, ignoredGroups)) return success();
      // A full cluster rejects on every node with one of a few reason lists:
      // for the usual requests (no extended resources) share one Status per list.
      if (request.scalar.size === 0) {
        const mask = insufficientMask(request, nodeInfo);
        let status = rejections[mask];
        if (!status) {
          const reasons = fitsRequest(request, nodeInfo).map((r) => r.reason);
          status = new Status(Code.Unschedulable, reasons);
          rejections[mask] = status;
        }
        return status;
      }
      const insufficient = fitsRequest(request, nodeInfo, ignored, ignoredGroups);
      if (insufficient.length === 0) return success();
      return new Status(
        Code.Unschedulable,
        insufficient.map((r) => r.reason),
      );
    },
    preScore(state: CycleState, pod: Pod): Status {
      state.write(PRE_SCORE_KEY, { nonZero: podRequests(pod, true), actual: podRequests(pod) });
      return success();
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const pre = state.read<{ nonZero: Resource; actual: Resource }>(PRE_SCORE_KEY) ?? {
        nonZero: podRequests(pod, true),
        actual: podRequests(pod),
      };
      // Scratch arrays owned by this plugin instance: Score is synchronous, one node at a time.
      const requested = scratchRequested;
      const allocatable = scratchAllocatable;
      for (let i = 0; i < resources.length; i++) {
        const name = resources[i]!;
        // CPU and memory are scored with defaults for containers that request none.
        const nonZero = name === "cpu" || name === "memory";
        const onNode = resourceAmount(
          nonZero ? nodeInfo.nonZeroRequested : nodeInfo.requested,
          name,
        );
        const forPod = resourceAmount(nonZero ? pre.nonZero : pre.actual, name);
        const capacity = resourceAmount(nodeInfo.allocatable, name);
        allocatable[i] = capacity;
        requested[i] = capacity === 0 ? 0 : onNode + forPod;
      }
      return scorer(requested, allocatable, weights);
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
