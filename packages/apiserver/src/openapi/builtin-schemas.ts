import type { JSONSchemaProps } from "../crd/json-schema.js";

/** The structural schema of a built-in kind, when its fields are fully described (none yet). */
export function builtinSchemaFor(
  _group: string,
  _version: string,
  _kind: string,
): JSONSchemaProps | undefined {
  return undefined;
}
