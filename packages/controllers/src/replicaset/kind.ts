import {
  type GroupVersionResource,
  type LabelSelector,
  Resources,
  type Selector,
  selectorFromLabelSelector,
} from "@kubekit/client";
import { ControllerResources } from "../common/resources.js";
import type { ReplicaSet } from "../common/types.js";

/**
 * What differs between the ReplicaSet and the ReplicationController
 * controllers, which upstream runs as one implementation: the resource, the
 * kind in owner references, and the selector's shape (a LabelSelector, or a
 * plain label map for ReplicationControllers).
 */
export interface ReplicatedKind {
  /** The `--controllers` name and the event component prefix. */
  readonly controllerName: string;
  readonly gvr: GroupVersionResource;
  readonly apiVersion: string;
  readonly kind: string;
  /** The selector, or undefined when it is missing or invalid (such an object is never synced). */
  selectorOf(obj: ReplicaSet): Selector | undefined;
}

function labelSelectorOf(obj: ReplicaSet): Selector | undefined {
  const selector = obj.spec?.selector as LabelSelector | undefined;
  if (!selector) return undefined;
  try {
    const parsed = selectorFromLabelSelector(selector);
    // An empty selector would match every pod in the namespace: upstream refuses it.
    return parsed.length === 0 ? undefined : parsed;
  } catch {
    return undefined;
  }
}

/** apps/v1 ReplicaSet. */
export const REPLICA_SET_KIND: ReplicatedKind = {
  controllerName: "replicaset",
  gvr: Resources.replicaSets,
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  selectorOf: labelSelectorOf,
};

/** core/v1 ReplicationController: the selector is a label map, defaulting to the template's labels. */
export const REPLICATION_CONTROLLER_KIND: ReplicatedKind = {
  controllerName: "replicationcontroller",
  gvr: ControllerResources.replicationControllers,
  apiVersion: "v1",
  kind: "ReplicationController",
  selectorOf(obj) {
    const map =
      (obj.spec?.selector as Record<string, string> | undefined) ??
      obj.spec?.template?.metadata?.labels;
    if (!map || Object.keys(map).length === 0) return undefined;
    return selectorFromLabelSelector({ matchLabels: map });
  },
};
