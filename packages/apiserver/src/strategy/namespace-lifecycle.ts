import { forbidden, notFound } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { formatTime } from "../meta/clock.js";
import { isRecord, type KubeObject } from "../types/object.js";

/** Namespaces that always exist and may never be deleted. */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set([
  "default",
  "kube-system",
  "kube-public",
]);

/** The request an admission check looks at. */
export interface LifecycleRequest {
  verb: string;
  group: string;
  resource: string;
  name: string;
  namespace: string;
}

/**
 * The NamespaceLifecycle admission check, as upstream's plugin does it:
 * nothing may be created in a namespace that does not exist or is being
 * terminated, and the immortal namespaces may not be deleted. `namespace`
 * is the stored Namespace (undefined when there is none).
 */
export function checkNamespaceLifecycle(
  req: LifecycleRequest,
  namespace: KubeObject | undefined,
): Status | undefined {
  const gr = { group: req.group, resource: req.resource };
  if (req.group === "" && req.resource === "namespaces") {
    if (req.verb === "delete" && IMMORTAL_NAMESPACES.has(req.name)) {
      return forbidden(gr, req.name, "this namespace may not be deleted");
    }
    return undefined;
  }
  if (req.namespace === "" || req.verb !== "create") return undefined;
  if (namespace === undefined)
    return notFound({ group: "", resource: "namespaces" }, req.namespace);
  const phase = isRecord(namespace.status) ? namespace.status.phase : undefined;
  if (phase === "Terminating" || namespace.metadata?.deletionTimestamp) {
    return forbidden(
      gr,
      req.name,
      `unable to create new content in namespace ${req.namespace} because it is being terminated`,
    );
  }
  return undefined;
}

/**
 * What deleting a namespace does: while it has spec finalizers (the
 * `kubernetes` one until its content is gone), it only turns Terminating
 * with a deletionTimestamp; once none are left it is removed.
 */
export function namespaceDeletion(
  ns: KubeObject,
  now: Date,
): { action: "delete" } | { action: "update"; object: KubeObject } {
  const spec = isRecord(ns.spec) ? ns.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
  const metaFinalizers = ns.metadata?.finalizers ?? [];
  if (finalizers.length === 0 && metaFinalizers.length === 0) return { action: "delete" };
  const out = structuredClone(ns);
  out.metadata = {
    ...out.metadata,
    deletionTimestamp: out.metadata?.deletionTimestamp ?? formatTime(now),
  };
  out.status = { ...(isRecord(out.status) ? out.status : {}), phase: "Terminating" };
  return { action: "update", object: out };
}
