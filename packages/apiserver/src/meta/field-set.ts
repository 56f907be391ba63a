import { listSchemaAt } from "../patch/list-schema.js";
import { isRecord, type JsonObject } from "../types/object.js";

/**
 * The set of fields an object sets, in the FieldsV1 vocabulary managedFields
 * uses: `f:<name>` for a field, `k:{...}` for an item of a keyed list,
 * `v:<json>` for an item of a set, and `.` for "this map or item itself".
 * Each member is a path of those segments; the value recorded with it lets
 * two objects be compared member by member.
 */
export type FieldSet = Map<string, string>;

/** The separator between the segments of a member path. */
export const SEP = "\u0000";

// Metadata the server owns: never part of anyone's managed set.
const SERVER_OWNED_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

// Fields whose value is a free-form map rather than a struct: they count as members themselves.
const MAP_FIELDS = new Set([
  "labels",
  "annotations",
  "data",
  "binaryData",
  "stringData",
  "matchLabels",
  "nodeSelector",
  "limits",
  "requests",
  "capacity",
  "allocatable",
  "parameters",
]);

/**
 * The key of an item of a keyed list, as FieldsV1 writes it after `k:`:
 * the item's key fields, sorted. A missing `protocol` key counts as TCP,
 * its default, so an applied port without one and the stored (defaulted)
 * port are the same item, as upstream's schema-driven key defaulting makes
 * them.
 */
export function listItemKey(
  item: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const k of [...keys].sort()) {
    if (item[k] !== undefined) key[k] = item[k];
    else if (k === "protocol") key[k] = "TCP";
  }
  return key;
}

function add(set: FieldSet, path: readonly string[], value: unknown): void {
  set.set(path.join(SEP), JSON.stringify(value));
}

function walkMap(
  obj: Record<string, unknown>,
  schemaPath: string[],
  path: string[],
  kind: string,
  set: FieldSet,
): void {
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    if (path.length === 0 && (key === "apiVersion" || key === "kind")) continue;
    if (path.length === 1 && path[0] === "f:metadata" && SERVER_OWNED_METADATA.has(key)) continue;
    walkValue(value, [...schemaPath, key], [...path, `f:${key}`], kind, set);
  }
}

function walkValue(
  value: unknown,
  schemaPath: string[],
  path: string[],
  kind: string,
  set: FieldSet,
): void {
  if (isRecord(value)) {
    const field = schemaPath[schemaPath.length - 1] ?? "";
    if (Object.keys(value).length === 0) {
      add(set, path, {});
      return;
    }
    if (MAP_FIELDS.has(field)) add(set, [...path, "."], null);
    walkMap(value, schemaPath, path, kind, set);
    return;
  }
  if (Array.isArray(value)) {
    const schema = listSchemaAt(kind, schemaPath);
    if (schema.type === "map") {
      for (const item of value) {
        if (!isRecord(item)) continue;
        const itemPath = [...path, `k:${JSON.stringify(listItemKey(item, schema.keys))}`];
        add(set, [...itemPath, "."], null);
        walkMap(item, schemaPath, itemPath, kind, set);
      }
      return;
    }
    if (schema.type === "set") {
      for (const item of value) add(set, [...path, `v:${JSON.stringify(item)}`], null);
      return;
    }
  }
  add(set, path, value);
}

/** The field set of an object of `kind`, leaving out apiVersion, kind and server-owned metadata. */
export function fieldSetOf(obj: unknown, kind: string): FieldSet {
  const set: FieldSet = new Map();
  if (isRecord(obj)) walkMap(obj, [], [], kind, set);
  return set;
}

/** The FieldsV1 JSON of a set of members. */
export function toFieldsV1(members: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const member of members) {
    let node = root;
    for (const segment of member.split(SEP)) {
      const next = node[segment];
      if (isRecord(next)) {
        node = next as JsonObject;
      } else {
        const fresh: JsonObject = {};
        node[segment] = fresh;
        node = fresh;
      }
    }
  }
  return root;
}

/** The members of a FieldsV1 JSON (its leaves). */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]): void => {
    if (!isRecord(node) || Object.keys(node).length === 0) {
      if (path.length > 0) out.add(path.join(SEP));
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(fields, []);
  return out;
}
