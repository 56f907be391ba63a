import { isRecord } from "../types/object.js";

/** A mutable JSON object, as defaulting works on. */
export type Obj = Record<string, unknown>;

/** The child object at `key`, created empty when missing. */
export function child(obj: Obj, key: string): Obj {
  const v = obj[key];
  if (isRecord(v)) return v;
  const fresh: Obj = {};
  obj[key] = fresh;
  return fresh;
}

/** Sets `key` to `value` when it is missing, null or the empty string. */
export function setDefault(obj: Obj, key: string, value: unknown): void {
  const v = obj[key];
  if (v === undefined || v === null || v === "") obj[key] = value;
}

/** The object items of a list field, skipping anything that is not an object. */
export function items(obj: Obj, key: string): Obj[] {
  const v = obj[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}
