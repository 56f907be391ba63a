/**
 * The default profile, as kubescheduler.config.k8s.io/v1 defines it: every
 * in-tree plugin enabled through multiPoint, with upstream's score weights.
 * Volume plugins are absent because kubekit does not implement them yet.
 */
import { emptyPluginSets, type PluginRef, type PluginSets } from "../framework/profile.js";

/** The default scheduler name. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

/** The default multiPoint plugins in upstream's order, with their weights. */
export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: "SchedulingGates" },
  { name: "PrioritySort" },
  { name: "NodeUnschedulable" },
  { name: "NodeName" },
  { name: "TaintToleration", weight: 3 },
  { name: "NodeAffinity", weight: 2 },
  { name: "NodePorts" },
  { name: "NodeResourcesFit", weight: 1 },
  { name: "PodTopologySpread", weight: 2 },
  { name: "InterPodAffinity", weight: 2 },
  { name: "DefaultPreemption" },
  { name: "NodeResourcesBalancedAllocation", weight: 1 },
  { name: "ImageLocality", weight: 1 },
  { name: "DefaultBinder" },
];

/** The default plugin sets, limited to the plugins `available` knows. */
export function defaultPluginSets(available: (name: string) => boolean): PluginSets {
  const sets = emptyPluginSets();
  sets.multiPoint.enabled = DEFAULT_MULTI_POINT.filter((p) => available(p.name)).map((p) => ({
    ...p,
  }));
  return sets;
}
