import { defaultCrd } from "../crd/crd-defaults.js";
import { defaultCustomResource } from "../crd/schema-default.js";
import { pruneCustomResource } from "../crd/schema-prune.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { deepCopy, type KubeObject } from "../types/object.js";
import { defaultPod } from "./pod.js";
import { defaultService } from "./service.js";
import { child, type Obj, setDefault } from "./util.js";
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultStatefulSet,
} from "./workloads.js";

const DEFAULTERS: Record<string, (obj: Obj) => void> = {
  "/pods": defaultPod,
  "/services": defaultService,
  "/replicationcontrollers": defaultReplicaSet,
  "/secrets": (o) => setDefault(o, "type", "Opaque"),
  "/namespaces": (o) => {
    // Every namespace carries its own name as a label, so selectors can pick namespaces by name.
    const meta = child(o, "metadata");
    if (typeof meta.name === "string" && meta.name !== "") {
      child(meta, "labels")["kubernetes.io/metadata.name"] = meta.name;
    }
  },
  "/persistentvolumes": (o) => {
    const spec = child(o, "spec");
    setDefault(spec, "persistentVolumeReclaimPolicy", "Retain");
    setDefault(spec, "volumeMode", "Filesystem");
  },
  "/persistentvolumeclaims": (o) => setDefault(child(o, "spec"), "volumeMode", "Filesystem"),
  "apps/deployments": defaultDeployment,
  "apps/replicasets": defaultReplicaSet,
  "apps/statefulsets": defaultStatefulSet,
  "apps/daemonsets": defaultDaemonSet,
  "batch/jobs": defaultJob,
  "batch/cronjobs": defaultCronJob,
  "apiextensions.k8s.io/customresourcedefinitions": defaultCrd,
  "storage.k8s.io/storageclasses": (o) => {
    setDefault(o, "reclaimPolicy", "Delete");
    setDefault(o, "volumeBindingMode", "Immediate");
  },
};

/**
 * Returns a copy of `obj` with upstream's defaults filled in for its
 * resource (for a custom resource: pruned and defaulted by its schema). Fields the user set are never changed; resources without
 * defaults come back as an unchanged copy.
 */
export function applyDefaults(
  def: Pick<ResourceDefinition, "group" | "resource" | "custom">,
  obj: KubeObject,
): KubeObject {
  const copy = deepCopy(obj);
  if (def.custom) {
    // Custom resources: unknown fields pruned first, then the schema's defaults.
    pruneCustomResource(def.custom.schema, copy);
    defaultCustomResource(def.custom.schema, copy);
    return copy;
  }
  DEFAULTERS[`${def.group}/${def.resource}`]?.(copy as Obj);
  return copy;
}
