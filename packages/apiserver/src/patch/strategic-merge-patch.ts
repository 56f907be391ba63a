import { deepCopy, isRecord, jsonEqual, setOwn } from "../types/object.js";
import { listSchemaAt } from "./list-schema.js";
import { PatchError } from "./patch-error.js";

type Obj = Record<string, unknown>;

const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ELEMENT_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

// Returned by mergeMap when the patch says `$patch: delete` for the whole map.
const DELETED = Symbol("deleted");

/**
 * Applies a strategic merge patch to a built-in object, as kubectl apply,
 * edit and patch send them. Maps merge like JSON merge patch; lists merge
 * item by item on their patchMergeKey (containers by name, ports by
 * containerPort, ...) or are replaced when they have none. Directives:
 * `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<f>`,
 * `$setElementOrder/<f>`. Throws PatchError on a patch it cannot apply.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, kind: string): Obj {
  if (!isRecord(patch)) throw new PatchError("strategic merge patch must be a JSON object");
  const base = isRecord(original) ? original : {};
  const result = mergeMap(base, patch, [], kind);
  if (result === DELETED) return {};
  return result;
}

function patchDirective(patch: Obj): string | undefined {
  const d = patch[PATCH];
  if (d === undefined) return undefined;
  if (d !== "replace" && d !== "delete" && d !== "merge")
    throw new PatchError(`Unknown patch type: ${String(d)}`);
  return d;
}

// A patch value with every directive removed, for places it lands as-is.
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .filter((v) => !(isRecord(v) && v[PATCH] !== undefined && Object.keys(v).length === 1))
      .map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("$")) continue;
    if (v === null) continue;
    setOwn(out, k, stripDirectives(v));
  }
  return out;
}

function mergeMap(original: Obj, patch: Obj, path: string[], kind: string): Obj | typeof DELETED {
  const directive = patchDirective(patch);
  if (directive === "delete") return DELETED;
  if (directive === "replace") return stripDirectives(patch) as Obj;

  const out = deepCopy(original);
  // Deletions from primitive lists come first, so a patch may delete and add in one go.
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (!Array.isArray(values)) throw new PatchError(`${key} must be a list`);
    const current = out[field];
    if (Array.isArray(current))
      setOwn(
        out,
        field,
        current.filter((v) => !values.some((d) => jsonEqual(d, v))),
      );
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) continue;
    if (value === null) {
      delete out[key];
    } else if (isRecord(value)) {
      const current = Object.hasOwn(out, key) ? out[key] : undefined;
      const merged = mergeMap(isRecord(current) ? current : {}, value, [...path, key], kind);
      if (merged === DELETED) delete out[key];
      else setOwn(out, key, merged);
    } else if (Array.isArray(value)) {
      const current = Object.hasOwn(out, key) ? out[key] : undefined;
      setOwn(
        out,
        key,
        mergeList(Array.isArray(current) ? current : [], value, [...path, key], kind),
      );
    } else {
      setOwn(out, key, value);
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    if (!Array.isArray(order)) throw new PatchError(`${key} must be a list`);
    if (Array.isArray(out[field]))
      setOwn(out, field, reorder(out[field] as unknown[], order, [...path, field], kind));
  }
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain) || !retain.every((k) => typeof k === "string")) {
      throw new PatchError(`${RETAIN_KEYS} must be a list of strings`);
    }
    // Keys set to null are deletions (kubectl sends them for the fields it
    // drops, e.g. rollingUpdate when switching to Recreate): they need not be retained.
    for (const [key, value] of Object.entries(patch)) {
      if (!key.startsWith("$") && value !== null && !retain.includes(key)) {
        throw new PatchError(
          `the patch contains key ${JSON.stringify(key)} that is not in ${RETAIN_KEYS}`,
          422,
        );
      }
    }
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], path: string[], kind: string): unknown[] {
  const schema = listSchemaAt(kind, path);
  if (schema.type === "atomic") return stripDirectives(patch) as unknown[];
  if (schema.type === "set") {
    const out = [...original];
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  }
  const { mergeKey } = schema;
  if (patch.some((item) => isRecord(item) && item[PATCH] === "replace")) {
    return patch
      .filter((item) => !(isRecord(item) && item[PATCH] === "replace"))
      .map(stripDirectives);
  }
  let out = deepCopy(original);
  for (const item of patch) {
    if (!isRecord(item))
      throw new PatchError(
        `found non-map element in list ${path.join(".")} merged by key ${JSON.stringify(mergeKey)}`,
      );
    const directive = patchDirective(item);
    if (!(mergeKey in item)) {
      throw new PatchError(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
      );
    }
    const keyValue = item[mergeKey];
    if (directive === "delete") {
      out = out.filter((o) => !(isRecord(o) && jsonEqual(o[mergeKey], keyValue)));
      continue;
    }
    const at = out.findIndex((o) => isRecord(o) && jsonEqual(o[mergeKey], keyValue));
    const merged = mergeMap(at >= 0 ? (out[at] as Obj) : {}, item, path, kind);
    if (merged === DELETED) continue;
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return out;
}

// Items named in `order` come first, in that order; the rest keep their order after them.
function reorder(list: unknown[], order: unknown[], path: string[], kind: string): unknown[] {
  const schema = listSchemaAt(kind, path);
  const identity = (v: unknown): unknown =>
    schema.type === "map" && isRecord(v) ? v[schema.mergeKey] : v;
  const wanted = order.map(identity);
  const rank = (v: unknown): number => {
    const i = wanted.findIndex((w) => jsonEqual(w, identity(v)));
    return i < 0 ? wanted.length : i;
  };
  return list
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ v }) => v);
}
