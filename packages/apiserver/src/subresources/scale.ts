import { badRequest, optimisticLockConflict } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { labelSelectorFromObject } from "../selectors/label-selector-object.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { deepCopy, isRecord, type KubeObject } from "../types/object.js";
import { invalidStatus, invalidValue } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

/** autoscaling/v1 Scale: what `/scale` subresources read and write. */
export interface Scale {
  kind: "Scale";
  apiVersion: "autoscaling/v1";
  metadata: KubeObject["metadata"];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

// The selector in string form: a LabelSelector for apps/v1, a plain map for ReplicationControllers.
function selectorString(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  const asObject =
    isRecord(selector) && !("matchLabels" in selector) && !("matchExpressions" in selector)
      ? { matchLabels: selector }
      : selector;
  const parsed = labelSelectorFromObject(asObject);
  return parsed.ok ? parsed.selector.toString() : undefined;
}

/** The Scale view of a Deployment, ReplicaSet, StatefulSet or ReplicationController. */
export function toScale(obj: KubeObject): Scale {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
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
    spec: typeof spec.replicas === "number" ? { replicas: spec.replicas } : {},
    status: { replicas: typeof status.replicas === "number" ? status.replicas : 0 },
  };
  const selector = selectorString(spec.selector);
  if (selector) scale.status.selector = selector;
  return scale;
}

/**
 * Checks a Scale written to `/scale` against the stored object, for
 * built-in and custom resources alike: the name must be the URL's, a
 * resourceVersion must be the stored one, and the replica count a
 * non-negative integer. Returns that count.
 */
export function checkScaleWrite(
  def: ResourceDefinition,
  current: KubeObject,
  body: unknown,
): { ok: true; replicas: number } | { ok: false; status: Status } {
  if (!isRecord(body))
    return { ok: false, status: badRequest("the request body must be a JSON object") };
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const name = current.metadata?.name ?? "";
  if (typeof meta.name === "string" && meta.name !== "" && meta.name !== name) {
    return {
      ok: false,
      status: badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
      ),
    };
  }
  const rv = meta.resourceVersion;
  if (typeof rv === "string" && rv !== "" && rv !== current.metadata?.resourceVersion) {
    return {
      ok: false,
      status: optimisticLockConflict({ group: def.group, resource: def.resource }, name),
    };
  }
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
  return { ok: true, replicas };
}

/**
 * Applies a Scale written to `/scale` to the stored object: checks it
 * ({@link checkScaleWrite}), then sets spec.replicas. The result still
 * goes through the parent's update path.
 */
export function applyScale(
  def: ResourceDefinition,
  current: KubeObject,
  body: unknown,
): WriteResult {
  const checked = checkScaleWrite(def, current, body);
  if (!checked.ok) return checked;
  const next = deepCopy(current);
  next.spec = { ...(isRecord(next.spec) ? next.spec : {}), replicas: checked.replicas };
  return { ok: true, object: next };
}
