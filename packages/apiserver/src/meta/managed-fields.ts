import type { KubeObject, ManagedFieldsEntry } from "../types/object.js";
import { formatTime } from "./clock.js";
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from "./field-set.js";

/** Who made a write, and through which API version and subresource. */
export interface UpdateOperation {
  manager: string;
  apiVersion: string;
  now: Date;
  subresource?: string;
}

/**
 * The field manager name upstream derives from a User-Agent when the
 * request names none: the part before the first `/`, at most 128 characters.
 */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const head = (userAgent ?? "").split("/")[0] ?? "";
  return head.slice(0, 128);
}

/**
 * The managedFields after an Update-style write (create, update, patch) from
 * `prev` to `next`: the writer gains every field whose value it changed,
 * and loses none it had that still exist; every other manager loses the
 * fields the writer changed. Entries left with nothing are dropped.
 */
export function recordUpdate(
  prev: KubeObject | undefined,
  next: KubeObject,
  op: UpdateOperation,
): ManagedFieldsEntry[] {
  const kind = next.kind ?? "";
  const before = fieldSetOf(prev ?? {}, kind);
  const after = fieldSetOf(next, kind);
  const changed = new Set<string>();
  for (const [member, value] of after) if (before.get(member) !== value) changed.add(member);

  const subresource = op.subresource ?? "";
  // managedFields the client itself changed are taken as given, as upstream does
  // (kubectl rewrites them when it moves an object from client-side to server-side apply).
  const sent = next.metadata?.managedFields;
  const clientSet =
    Array.isArray(sent) && JSON.stringify(sent) !== JSON.stringify(prev?.metadata?.managedFields);
  const existing = clientSet ? sent : (prev?.metadata?.managedFields ?? sent ?? []);
  const out: ManagedFieldsEntry[] = [];
  let mine: Set<string> = new Set(changed);
  let mineAt = -1;
  for (const entry of existing) {
    const members = fromFieldsV1(entry.fieldsV1);
    const isMine =
      entry.manager === op.manager &&
      entry.operation === "Update" &&
      (entry.subresource ?? "") === subresource;
    if (isMine) {
      for (const m of members) if (after.has(m)) mine.add(m);
      mineAt = out.length;
      out.push(entry);
      continue;
    }
    const kept = [...members].filter((m) => after.has(m) && !changed.has(m));
    if (kept.length > 0) out.push({ ...entry, fieldsV1: toFieldsV1(kept) });
  }
  mine = new Set([...mine].filter((m) => after.has(m)));
  if (mine.size === 0) {
    if (mineAt >= 0) out.splice(mineAt, 1);
    return out;
  }
  const entry: ManagedFieldsEntry = {
    manager: op.manager,
    operation: "Update",
    apiVersion: op.apiVersion,
    time: formatTime(op.now),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1([...mine].sort()),
  };
  if (subresource !== "") entry.subresource = subresource;
  if (mineAt >= 0) out[mineAt] = entry;
  else out.push(entry);
  return out;
}
