import { badRequest, optimisticLockConflict } from "../errors/builders.js";
import type { ResourceDefinition } from "../registry/resource.js";
import type { WriteResult } from "../strategy/admission-result.js";
import type { Scale } from "../subresources/scale.js";
import { deepCopy, isRecord, type KubeObject } from "../types/object.js";
import { invalidStatus, invalidValue } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";
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
  if (!isRecord(body))
    return { ok: false, status: badRequest("the request body must be a JSON object") };
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const name = current.metadata?.name ?? "";
  if (typeof meta.name === "string" && meta.name !== "" && meta.name !== name)
    return {
      ok: false,
      status: badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
      ),
    };
  const rv = meta.resourceVersion;
  if (typeof rv === "string" && rv !== "" && rv !== current.metadata?.resourceVersion)
    return {
      ok: false,
      status: optimisticLockConflict({ group: def.group, resource: def.resource }, name),
    };
  const spec = isRecord(body.spec) ? body.spec : {};
  const replicas = spec.replicas ?? 0;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    const err = invalidValue(
      FieldPath.root("spec", "replicas"),
      replicas,
      "must be greater than or equal to 0",
    );
    return {
      ok: false,
      status: invalidStatus({ group: "autoscaling", kind: "Scale" }, name, [err]),
    };
  }
  const next = deepCopy(current);
  if (!setByJsonPath(next, paths.specReplicasPath, replicas))
    return { ok: false, status: badRequest(`cannot set ${paths.specReplicasPath}`) };
  return { ok: true, object: next };
}
