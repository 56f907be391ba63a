import { listItemKey } from "../meta/field-set.js";
import { listSchemaAt } from "../patch/list-schema.js";
import { isRecord } from "../types/object.js";

const sameKey = (a: Record<string, unknown>, b: Record<string, unknown>, keys: readonly string[]) =>
  JSON.stringify(listItemKey(a, keys)) === JSON.stringify(listItemKey(b, keys));

/**
 * The live value with an applied configuration merged into it, as
 * server-side apply merges: objects field by field (a null in the
 * configuration removes the field), keyed lists item by item (matched on
 * their keys; new items appended in the configuration's order), sets as
 * unions, and everything else (scalars, atomic lists) replaced by the
 * configuration's value. `path` is the field path from the object's root,
 * for looking up list types.
 */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  kind: string,
  path: string[] = [],
): unknown {
  if (isRecord(applied)) {
    if (!isRecord(live)) return structuredClone(applied);
    const out: Record<string, unknown> = structuredClone(live);
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) delete out[key];
      else out[key] = mergeApplied(out[key], value, kind, [...path, key]);
    }
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const schema = listSchemaAt(kind, path);
    if (schema.type === "map") {
      const out = structuredClone(live) as unknown[];
      for (const item of applied) {
        if (!isRecord(item)) continue;
        const at = out.findIndex((l) => isRecord(l) && sameKey(l, item, schema.keys));
        if (at >= 0) out[at] = mergeApplied(out[at], item, kind, path);
        else out.push(structuredClone(item));
      }
      return out;
    }
    if (schema.type === "set") {
      const out = structuredClone(live) as unknown[];
      const seen = new Set(out.map((v) => JSON.stringify(v)));
      for (const v of applied) if (!seen.has(JSON.stringify(v))) out.push(structuredClone(v));
      return out;
    }
  }
  return structuredClone(applied);
}
