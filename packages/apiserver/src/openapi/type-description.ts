/*
 * A compact, hand-kept description of the built-in API types: each type's
 * fields with a type, a one-line description and the patch and list
 * markers kubectl and server-side apply read. The OpenAPI v2 and v3
 * documents and the schemas for strict field validation are generated
 * from it.
 *
 * Field types are written as:
 *   string, int32, int64, number, boolean   scalars
 *   quantity, int-or-string, time, bytes    the apimachinery string types
 *   raw                                     any JSON (a free-form object)
 *   X[]                                     a list of X
 *   {X}                                     a map from string to X
 *   Name                                    another type of the same package
 *   pkg.version.Name                        a type of another package
 */

/** The markers a field may carry. */
export interface FieldOptions {
  required?: boolean;
  /** x-kubernetes-patch-strategy: `merge`, `retainKeys` or `merge,retainKeys`. */
  patch?: string;
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  /** x-kubernetes-list-type; lists with a merge key default to `map` keyed by it. */
  listType?: "atomic" | "set" | "map";
  /** x-kubernetes-list-map-keys, when not just the merge key. */
  mapKeys?: readonly string[];
  /** x-kubernetes-map-type. */
  mapType?: "atomic" | "granular";
  enum?: readonly string[];
}

/** One field: its type, what it is, and its markers. */
export type Field = readonly [type: string, doc: string, options?: FieldOptions];

/** One type: what it is and its fields. */
export interface TypeDescription {
  doc: string;
  fields: Record<string, Field>;
  /**
   * Described in part: fields beyond those listed are allowed, so strict
   * field validation reports nothing unknown here.
   */
  open?: boolean;
}

/** Types by their short name: `core.v1.Pod`. */
export type TypeTable = Record<string, TypeDescription>;

/** Shorthand for a required field's options. */
export const REQUIRED: FieldOptions = { required: true };

/** The OpenAPI definition name of a short type name, as upstream names them. */
export function definitionName(short: string): string {
  const [pkg, version, name] = short.split(".");
  switch (pkg) {
    case "meta":
      return `io.k8s.apimachinery.pkg.apis.meta.${version}.${name}`;
    case "apiextensions":
      return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${name}`;
    default:
      return `io.k8s.api.${pkg}.${version}.${name}`;
  }
}

/** Resolves a type name used inside `owner` (`Container` → `core.v1.Container`). */
export function resolveTypeName(name: string, owner: string): string {
  if (name.includes(".")) return name;
  const [pkg, version] = owner.split(".");
  return `${pkg}.${version}.${name}`;
}

/** A parsed field type. */
export type FieldType =
  | { kind: "scalar"; name: string }
  | { kind: "list"; of: FieldType }
  | { kind: "map"; of: FieldType }
  | { kind: "ref"; name: string };

const SCALARS = new Set([
  "string",
  "int32",
  "int64",
  "number",
  "boolean",
  "quantity",
  "int-or-string",
  "time",
  "bytes",
  "raw",
]);

/** Parses a field type written in the notation above. */
export function parseFieldType(type: string, owner: string): FieldType {
  if (type.endsWith("[]")) return { kind: "list", of: parseFieldType(type.slice(0, -2), owner) };
  if (type.startsWith("{") && type.endsWith("}"))
    return { kind: "map", of: parseFieldType(type.slice(1, -1), owner) };
  if (SCALARS.has(type)) return { kind: "scalar", name: type };
  return { kind: "ref", name: resolveTypeName(type, owner) };
}
