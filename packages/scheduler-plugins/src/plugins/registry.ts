/**
 * The in-tree plugins, by name: the registry a scheduler starts from before
 * merging out-of-tree plugins.
 */
import { type PluginFactory, Registry } from "../framework/registry.js";
import * as defaultBinder from "./default-binder/index.js";
import * as defaultPreemption from "./default-preemption/index.js";
import * as imageLocality from "./image-locality/index.js";
import * as interPodAffinity from "./inter-pod-affinity/index.js";
import * as nodeAffinity from "./node-affinity/index.js";
import * as nodeName from "./node-name/index.js";
import * as nodePorts from "./node-ports/index.js";
import * as balancedAllocation from "./node-resources-balanced-allocation/index.js";
import * as nodeResourcesFit from "./node-resources-fit/index.js";
import * as nodeUnschedulable from "./node-unschedulable/index.js";
import * as podTopologySpread from "./pod-topology-spread/index.js";
import * as prioritySort from "./priority-sort/index.js";
import * as schedulingGates from "./scheduling-gates/index.js";
import * as taintToleration from "./taint-toleration/index.js";

/** A new registry holding every in-tree plugin. */
export function inTreeRegistry(): Registry {
  return new Registry(
    [
      schedulingGates,
      prioritySort,
      nodeUnschedulable,
      nodeName,
      taintToleration,
      nodeAffinity,
      nodePorts,
      nodeResourcesFit,
      podTopologySpread,
      interPodAffinity,
      defaultPreemption,
      balancedAllocation,
      imageLocality,
      defaultBinder,
    ].map((p) => [p.NAME, p.create as PluginFactory] as const),
  );
}
