import type { Status } from "../errors/status.js";
import { formatTime } from "../meta/clock.js";
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from "../meta/field-set.js";
import { isRecord, type KubeObject, type ManagedFieldsEntry } from "../types/object.js";
import { type ApplyConflict, applyConflictStatus } from "./conflict-status.js";
import { ownerPath } from "./member-path.js";
import { mergeApplied } from "./merge-applied.js";
import { removeMembers } from "./remove-fields.js";

/** Who applies, and how. */
export interface ApplyOperation {
  /** The `fieldManager` of the request. */
  manager: string;
  /** `force=true`: take the conflicting fields from their owners instead of failing. */
  force: boolean;
  /** The applied configuration's apiVersion, recorded in the manager's entry. */
  apiVersion: string;
  now: Date;
  subresource?: string;
}

/** The object after an apply (managedFields included), or the 409 of its conflicts. */
export type ApplyResult = { ok: true; object: KubeObject } | { ok: false; status: Status };

const isApplier = (e: ManagedFieldsEntry, op: ApplyOperation) =>
  e.manager === op.manager &&
  e.operation === "Apply" &&
  (e.subresource ?? "") === (op.subresource ?? "");

/**
 * Server-side apply of `applied` (a partial object: the applier's whole
 * intent) onto `live` (undefined on create), as upstream's
 * structured-merge-diff does:
 *
 * - the applier owns exactly the fields its configuration sets;
 * - a field it sets that another manager owns with a different value is a
 *   conflict (409) unless `force`, which moves the field to the applier;
 *   setting the same value makes the field shared;
 * - the configuration is merged into the live object (objects and keyed
 *   lists granularly, the rest replaced);
 * - fields the applier set last time and no longer sets are removed,
 *   unless another manager owns them.
 */
export function applyConfiguration(
  live: KubeObject | undefined,
  applied: KubeObject,
  op: ApplyOperation,
): ApplyResult {
  const kind = applied.kind ?? live?.kind ?? "";
  const config = structuredClone(applied);
  if (isRecord(config.metadata)) delete config.metadata.managedFields;
  const wanted = fieldSetOf(config, kind);
  const current = fieldSetOf(live ?? {}, kind);
  const entries = live?.metadata?.managedFields ?? [];
  const previous = entries.find((e) => isApplier(e, op));
  const before = previous ? fromFieldsV1(previous.fieldsV1) : new Set<string>();

  const conflicts: ApplyConflict[] = [];
  const others = entries
    .filter((e) => !isApplier(e, op))
    .map((entry) => ({ entry, members: fromFieldsV1(entry.fieldsV1) }));
  for (const { entry, members } of others) {
    for (const member of members) {
      // An empty object in the configuration asserts no value of its own.
      const value = wanted.get(member);
      if (value !== undefined && value !== "{}" && value !== current.get(member))
        conflicts.push({ entry, member });
    }
  }
  if (conflicts.length > 0 && !op.force)
    return { ok: false, status: applyConflictStatus(conflicts) };
  for (const { member, entry } of conflicts)
    others.find((o) => o.entry === entry)?.members.delete(member);

  const merged = mergeApplied(live ?? {}, config, kind) as KubeObject;
  // What others still own, and everything beneath it, stays.
  const kept = new Set<string>();
  for (const { members } of others) for (const m of members) kept.add(ownerPath(m));
  const keptPrefixes = [...kept];
  const stillOwned = (member: string) => {
    const path = ownerPath(member);
    return keptPrefixes.some((k) => k === path || k.startsWith(`${path}\u0000`));
  };
  // A member still wanted in another shape (an empty map now filled, or the reverse) stays.
  const wantedPaths = [...wanted.keys()].map(ownerPath);
  const stillWanted = (member: string) => {
    const path = ownerPath(member);
    return wantedPaths.some((w) => w === path || w.startsWith(`${path}\u0000`));
  };
  const dropped = [...before].filter((m) => !wanted.has(m));
  removeMembers(
    merged as Record<string, unknown>,
    dropped,
    kind,
    (m) => stillOwned(m) || stillWanted(m),
  );

  const managedFields: ManagedFieldsEntry[] = [];
  let placed = false;
  const mine: ManagedFieldsEntry = {
    manager: op.manager,
    operation: "Apply",
    apiVersion: op.apiVersion,
    time: formatTime(op.now),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1([...wanted.keys()].sort()),
  };
  if (op.subresource) mine.subresource = op.subresource;
  for (const entry of entries) {
    if (isApplier(entry, op)) {
      managedFields.push(mine);
      placed = true;
      continue;
    }
    const members = others.find((o) => o.entry === entry)?.members ?? new Set<string>();
    if (members.size > 0)
      managedFields.push({ ...entry, fieldsV1: toFieldsV1([...members].sort()) });
  }
  if (!placed) managedFields.push(mine);
  merged.metadata = { ...merged.metadata, managedFields };
  return { ok: true, object: merged };
}

/**
 * Drops from every managedFields entry the members the object no longer
 * has (after defaulting and admission changed it), and entries left empty.
 */
export function pruneManagedFields(obj: KubeObject): KubeObject {
  const present = fieldSetOf(obj, obj.kind ?? "");
  const entries = (obj.metadata?.managedFields ?? [])
    .map((entry) => {
      const members = [...fromFieldsV1(entry.fieldsV1)].filter((m) => present.has(m));
      return { ...entry, fieldsV1: toFieldsV1(members.sort()), size: members.length };
    })
    .filter((e) => e.size > 0)
    .map(({ size: _size, ...entry }) => entry as ManagedFieldsEntry);
  return { ...obj, metadata: { ...obj.metadata, managedFields: entries } };
}
