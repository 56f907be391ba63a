import { formatTime } from "../meta/clock.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { deepCopy, jsonEqual, type KubeObject } from "../types/object.js";
import { CRD_CLEANUP_FINALIZER, type Crd, type CrdCondition, type CrdNames } from "./crd-types.js";

function namesWithDefaults(names: CrdNames): CrdNames {
  const out: CrdNames = {
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
  };
  if (names.shortNames?.length) out.shortNames = [...names.shortNames];
  if (names.categories?.length) out.categories = [...names.categories];
  return out;
}

/**
 * Why a CRD's names cannot be accepted: another resource of the same group
 * (a built-in or another CRD's accepted names) already uses its plural,
 * singular, kind or a short name. Undefined when there is no conflict.
 */
export function namesConflict(
  crd: Crd,
  builtins: readonly ResourceDefinition[],
  others: readonly Crd[],
): { reason: string; message: string } | undefined {
  const { group, names } = crd.spec;
  const mine = namesWithDefaults(names);
  const taken: CrdNames[] = [
    ...builtins
      .filter((d) => d.group === group)
      .map((d) => ({
        plural: d.resource,
        singular: d.singular,
        kind: d.kind,
        listKind: d.listKind,
        shortNames: [...d.shortNames],
      })),
    ...others
      .filter((o) => o.metadata?.name !== crd.metadata?.name && o.spec.group === group)
      .flatMap((o) => (o.status?.acceptedNames?.plural ? [o.status.acceptedNames] : [])),
  ];
  for (const t of taken) {
    if (t.plural === mine.plural || t.singular === mine.plural)
      return { reason: "PluralConflict", message: `"${mine.plural}" is already in use` };
    if (t.plural === mine.singular || t.singular === mine.singular)
      return { reason: "SingularConflict", message: `"${mine.singular}" is already in use` };
    if (t.kind === mine.kind)
      return { reason: "KindConflict", message: `"${mine.kind}" is already in use` };
    const short = mine.shortNames?.find((s) => t.shortNames?.includes(s));
    if (short) return { reason: "ShortNamesConflict", message: `"${short}" is already in use` };
  }
  return undefined;
}

function setCondition(conditions: CrdCondition[], next: CrdCondition, now: string): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const old = conditions[i];
  const keepTime = old && old.status === next.status && old.lastTransitionTime;
  const entry = { ...next, lastTransitionTime: keepTime ? old.lastTransitionTime : now };
  if (i >= 0) conditions[i] = entry;
  else conditions.push(entry);
}

/**
 * The status the apiserver's CRD controllers would give a CRD: accepted
 * names and the NamesAccepted condition (naming controller), Established
 * once the names are accepted (establishing controller), Terminating while
 * it is being deleted (finalizer), and the storage version recorded in
 * storedVersions.
 */
export function desiredCrdStatus(
  crd: Crd,
  builtins: readonly ResourceDefinition[],
  others: readonly Crd[],
  now: Date,
): NonNullable<Crd["status"]> {
  const status = deepCopy(crd.status ?? {});
  const conditions = [...(status.conditions ?? [])];
  const time = formatTime(now);
  const conflict = namesConflict(crd, builtins, others);
  if (conflict) {
    setCondition(conditions, { type: "NamesAccepted", status: "False", ...conflict }, time);
    if (!conditions.some((c) => c.type === "Established" && c.status === "True"))
      setCondition(
        conditions,
        {
          type: "Established",
          status: "False",
          reason: "NotAccepted",
          message: "not all names are accepted",
        },
        time,
      );
    status.acceptedNames ??= { plural: "", kind: "" };
  } else {
    status.acceptedNames = namesWithDefaults(crd.spec.names);
    setCondition(
      conditions,
      {
        type: "NamesAccepted",
        status: "True",
        reason: "NoConflicts",
        message: "no conflicts found",
      },
      time,
    );
    setCondition(
      conditions,
      {
        type: "Established",
        status: "True",
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      },
      time,
    );
  }
  if (crd.metadata?.deletionTimestamp)
    setCondition(
      conditions,
      {
        type: "Terminating",
        status: "True",
        reason: "InstanceDeletionInProgress",
        message: "CustomResource deletion is in progress",
      },
      time,
    );
  status.conditions = conditions;
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  const stored = [...(status.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  status.storedVersions = stored;
  return status;
}

/** True when a CRD's names are accepted, so its resources may be served. */
export function namesAccepted(crd: Crd): boolean {
  return (
    crd.status?.conditions?.some((c) => c.type === "NamesAccepted" && c.status === "True") ?? false
  );
}

/** Whether two statuses differ in anything but transition times. */
export function statusChanged(a: Crd["status"], b: Crd["status"]): boolean {
  const strip = (s: Crd["status"]) => ({
    ...(s ?? {}),
    conditions: (s?.conditions ?? []).map(({ lastTransitionTime: _t, ...c }) => c),
  });
  return !jsonEqual(strip(a), strip(b));
}

/**
 * A CRD about to be deleted, with the cleanup finalizer added (as
 * upstream's CRD storage does on delete), so that it stays until its
 * custom resources are gone.
 */
export function withCleanupFinalizer(obj: KubeObject): KubeObject {
  if (obj.metadata?.deletionTimestamp) return obj;
  const finalizers = obj.metadata?.finalizers ?? [];
  if (finalizers.includes(CRD_CLEANUP_FINALIZER)) return obj;
  return {
    ...obj,
    metadata: { ...obj.metadata, finalizers: [...finalizers, CRD_CLEANUP_FINALIZER] },
  };
}
