import { badRequest } from "../errors/builders.js";
import type { ResourceDefinition } from "../registry/resource.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { checkScaleWrite, type Scale } from "../subresources/scale.js";
import { deepCopy, type KubeObject } from "../types/object.js";
import type { ScaleSubresource } from "./crd-types.js";
import { evaluateJsonPath, setByJsonPath } from "./json-path.js";

const integerAt = (obj: KubeObject, path: string): number | undefined => {
  const [v] = evaluateJsonPath(obj, path);
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
};

/**
 * The autoscaling/v1 Scale of a custom resource, read through the CRD's
 * scale paths: spec.replicas from specReplicasPath, status.replicas from
 * statusReplicasPath (0 when missing), status.selector from labelSelectorPath.
 */
export function toCustomScale(paths: ScaleSubresource, obj: KubeObject): Scale {
  const meta = obj.metadata ?? {};
  const scale: Scale = {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp ?? null,
    },
    spec: { replicas: integerAt(obj, paths.specReplicasPath) ?? 0 },
    status: { replicas: integerAt(obj, paths.statusReplicasPath) ?? 0 },
  };
  if (paths.labelSelectorPath) {
    const [selector] = evaluateJsonPath(obj, paths.labelSelectorPath);
    if (typeof selector === "string") scale.status.selector = selector;
  }
  return scale;
}

/**
 * Applies a Scale written to a custom resource's `/scale`: checks name and
 * resourceVersion, then writes spec.replicas to specReplicasPath. The
 * result still goes through the resource's own update (schema validation).
 */
export function applyCustomScale(
  def: ResourceDefinition,
  paths: ScaleSubresource,
  current: KubeObject,
  body: unknown,
): WriteResult {
  const checked = checkScaleWrite(def, current, body);
  if (!checked.ok) return checked;
  const next = deepCopy(current);
  if (!setByJsonPath(next, paths.specReplicasPath, checked.replicas))
    return { ok: false, status: badRequest(`cannot set ${paths.specReplicasPath}`) };
  return { ok: true, object: next };
}
