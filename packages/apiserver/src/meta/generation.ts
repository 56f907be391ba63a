import { jsonEqual, type KubeObject } from "../types/object.js";

// Resources whose strategies keep metadata.generation: the controllers
// report status.observedGeneration against it.
const TRACKS_GENERATION = new Set([
  "/replicationcontrollers",
  "apps/deployments",
  "apps/replicasets",
  "apps/statefulsets",
  "apps/daemonsets",
  "batch/jobs",
  "batch/cronjobs",
  "apiextensions.k8s.io/customresourcedefinitions",
  "policy/poddisruptionbudgets",
]);

/** Whether a resource keeps metadata.generation. */
export function tracksGeneration(group: string, resource: string): boolean {
  return TRACKS_GENERATION.has(`${group}/${resource}`);
}

/** The generation after an update: bumped by one only when the spec changed. */
export function nextGeneration(next: KubeObject, prev: KubeObject): number | undefined {
  const before = prev.metadata?.generation;
  if (before === undefined) return undefined;
  return jsonEqual(next.spec, prev.spec) ? before : before + 1;
}
