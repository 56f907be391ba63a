import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { invalidStatus, required } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

/** The Content-Type of a server-side apply patch. */
export const APPLY_PATCH_TYPE = "application/apply-patch+yaml";

/**
 * Reads an apply's PatchOptions from the query: `fieldManager` is
 * required (422, in upstream's words), `force` is `true` or `false`.
 */
export function checkApplyOptions(
  query: URLSearchParams,
): { ok: true; manager: string; force: boolean } | { ok: false; status: Status } {
  const manager = query.get("fieldManager") ?? "";
  if (manager === "")
    return {
      ok: false,
      status: invalidStatus({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
        required(FieldPath.root("fieldManager"), "is required for apply patch"),
      ]),
    };
  const force = query.get("force");
  if (force !== null && force !== "true" && force !== "false" && force !== "")
    return { ok: false, status: badRequest(`invalid force value: ${force}`) };
  return { ok: true, manager, force: force === "true" };
}
