import { pruneCustomResource } from "../crd/schema-prune.js";
import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { isRecord } from "../types/object.js";
import { builtinSchemaFor } from "./builtin-schemas.js";

/** The `fieldValidation` query parameter's values. */
export type FieldValidationMode = "Ignore" | "Warn" | "Strict";

/**
 * Reads `fieldValidation`; absent means Warn, as upstream's default since
 * server-side field validation went GA. Anything else is a 400.
 */
export function parseFieldValidation(
  query: URLSearchParams,
): { ok: true; mode: FieldValidationMode } | { ok: false; status: Status } {
  const v = query.get("fieldValidation") ?? "";
  if (v === "") return { ok: true, mode: "Warn" };
  if (v === "Ignore" || v === "Warn" || v === "Strict") return { ok: true, mode: v };
  return {
    ok: false,
    status: badRequest(
      `fieldValidation parameter unsupported: ${v}. Supported values are: Ignore, Warn, Strict`,
    ),
  };
}

/**
 * The paths of the fields in `obj` its resource's schema does not know
 * (`spec.foo`, `spec.containers[0].bar`): for custom resources what
 * pruning would drop, for built-in kinds what the type descriptions leave
 * out. Kinds described only in part report nothing.
 */
export function unknownFields(
  def: Pick<ResourceDefinition, "group" | "version" | "kind" | "custom">,
  obj: unknown,
): string[] {
  if (!isRecord(obj)) return [];
  const schema = def.custom?.schema ?? builtinSchemaFor(def.group, def.version, def.kind);
  if (!schema) return [];
  return pruneCustomResource(schema, structuredClone(obj));
}

/** What a write does about unknown fields: fail (Strict), warn (Warn), or nothing. */
export function fieldValidationOutcome(
  mode: FieldValidationMode,
  unknown: readonly string[],
): { status?: Status; warnings: string[] } {
  if (unknown.length === 0 || mode === "Ignore") return { warnings: [] };
  const messages = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === "Strict")
    return { status: badRequest(`strict decoding error: ${messages.join(", ")}`), warnings: [] };
  return { warnings: messages };
}

/** A Warning header value per warning, as upstream writes them: `299 - "text"`. */
export function warningHeaders(warnings: readonly string[]): string[] {
  return warnings.map((w) => `299 - ${JSON.stringify(w)}`);
}
