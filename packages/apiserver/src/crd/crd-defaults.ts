import { isRecord } from "../types/object.js";

/**
 * Upstream's defaults for a CRD, in place: the singular name and list kind
 * from the kind, and conversion strategy None.
 */
export function defaultCrd(obj: Record<string, unknown>): void {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return;
  const names = isRecord(spec.names) ? spec.names : undefined;
  if (names && typeof names.kind === "string" && names.kind !== "") {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (spec.conversion === undefined) spec.conversion = { strategy: "None" };
}
