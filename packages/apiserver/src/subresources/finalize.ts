import { badRequest } from "../errors/builders.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { deepCopy, isRecord, type KubeObject } from "../types/object.js";

/**
 * A write to `namespaces/NAME/finalize`, as upstream's finalize strategy:
 * only `spec.finalizers` comes from the body; everything else stays as
 * stored. When the namespace is being deleted and no finalizer of either
 * kind is left, the write deletes it.
 */
export function applyFinalize(current: KubeObject, body: unknown): WriteResult {
  if (!isRecord(body))
    return { ok: false, status: badRequest("the request body must be a JSON object") };
  const name = current.metadata?.name ?? "";
  const meta = isRecord(body.metadata) ? body.metadata : {};
  if (typeof meta.name === "string" && meta.name !== "" && meta.name !== name) {
    return {
      ok: false,
      status: badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
      ),
    };
  }
  const spec = isRecord(body.spec) ? body.spec : {};
  const finalizers = Array.isArray(spec.finalizers)
    ? spec.finalizers.filter((f): f is string => typeof f === "string")
    : [];
  const next = deepCopy(current);
  next.spec = { ...(isRecord(next.spec) ? next.spec : {}), finalizers };
  if (finalizers.length === 0 && next.spec)
    delete (next.spec as Record<string, unknown>).finalizers;
  const deleteNow =
    Boolean(next.metadata?.deletionTimestamp) &&
    finalizers.length === 0 &&
    (next.metadata?.finalizers ?? []).length === 0;
  return deleteNow ? { ok: true, object: next, deleteNow: true } : { ok: true, object: next };
}
