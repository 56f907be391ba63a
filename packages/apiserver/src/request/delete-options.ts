import { badRequest, conflict } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { DeleteOptions, PropagationPolicy } from "../meta/deletion.js";
import { isRecord, type KubeObject } from "../types/object.js";
import {
  type FieldError,
  invalidStatus,
  invalidValue,
  notSupported,
} from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

/** DeleteOptions with the preconditions a DELETE may carry. */
export interface ParsedDeleteOptions extends DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function read(query: Query | undefined, name: string): string | undefined {
  if (query === undefined) return undefined;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

const POLICIES = ["Foreground", "Background", "Orphan"];

/**
 * Reads a DELETE's options from its JSON body (metav1.DeleteOptions) and its
 * query (`gracePeriodSeconds`, `propagationPolicy`, `orphanDependents`,
 * `dryRun`); the body wins where both are given. Bad options answer 400 or
 * 422 as upstream does.
 */
export function parseDeleteOptions(
  body: unknown,
  query?: Query,
): { ok: true; options: ParsedDeleteOptions } | { ok: false; status: Status } {
  const b = isRecord(body) ? body : {};
  const options: ParsedDeleteOptions = {};
  const grace = b.gracePeriodSeconds ?? read(query, "gracePeriodSeconds");
  if (grace !== undefined && grace !== null && grace !== "") {
    const n = Number(grace);
    if (!Number.isInteger(n))
      return {
        ok: false,
        status: badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`),
      };
    // A negative grace period means "now", as upstream reads it.
    options.gracePeriodSeconds = Math.max(0, n);
  }
  const policy = b.propagationPolicy ?? read(query, "propagationPolicy");
  const orphan = b.orphanDependents ?? read(query, "orphanDependents");
  const errs: FieldError[] = [];
  if (policy !== undefined && policy !== null && policy !== "") {
    if (!POLICIES.includes(String(policy))) {
      errs.push(notSupported(FieldPath.root("propagationPolicy"), policy, [...POLICIES, "nil"]));
    } else {
      options.propagationPolicy = policy as PropagationPolicy;
    }
  }
  if (orphan !== undefined && orphan !== null && orphan !== "") {
    options.orphanDependents = orphan === true || orphan === "true";
    if (options.propagationPolicy !== undefined) {
      errs.push(
        invalidValue(
          FieldPath.root("propagationPolicy"),
          options.propagationPolicy,
          "orphanDependents and deletionPropagation cannot be both set",
        ),
      );
    }
  }
  if (errs.length > 0)
    return {
      ok: false,
      status: invalidStatus({ group: "meta.k8s.io", kind: "DeleteOptions" }, "", errs),
    };
  if (isRecord(b.preconditions)) {
    const pre: ParsedDeleteOptions["preconditions"] = {};
    if (typeof b.preconditions.uid === "string") pre.uid = b.preconditions.uid;
    if (typeof b.preconditions.resourceVersion === "string")
      pre.resourceVersion = b.preconditions.resourceVersion;
    options.preconditions = pre;
  }
  const dryRun = Array.isArray(b.dryRun) ? b.dryRun[0] : read(query, "dryRun");
  if (dryRun !== undefined) {
    if (dryRun !== "All")
      return { ok: false, status: badRequest(`Invalid dry run value: ${String(dryRun)}`) };
    options.dryRun = true;
  }
  return { ok: true, options };
}

/**
 * Checks a DELETE's preconditions against the stored object: a different
 * uid or resourceVersion is a 409 Conflict.
 */
export function checkPreconditions(
  resource: { group: string; resource: string },
  obj: KubeObject,
  preconditions: ParsedDeleteOptions["preconditions"],
): Status | undefined {
  const name = obj.metadata?.name ?? "";
  if (preconditions?.uid !== undefined && preconditions.uid !== obj.metadata?.uid) {
    return conflict(
      resource,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${obj.metadata?.uid ?? ""}`,
    );
  }
  if (
    preconditions?.resourceVersion !== undefined &&
    preconditions.resourceVersion !== obj.metadata?.resourceVersion
  ) {
    return conflict(
      resource,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in meta: ${obj.metadata?.resourceVersion ?? ""}`,
    );
  }
  return undefined;
}
