import type { ResourceDefinition } from "../registry/resource.js";
import { deepCopy, jsonEqual, type KubeObject, type ObjectMeta } from "../types/object.js";
import { formatTime, type MetaContext } from "./clock.js";
import { generateName } from "./generate-name.js";
import { nextGeneration, tracksGeneration } from "./generation.js";

type Def = Pick<
  ResourceDefinition,
  "group" | "resource" | "namespaced" | "subresources" | "custom"
>;

const hasStatusSubresource = (def: Def): boolean =>
  def.subresources.some((s) => s.name === "status");

/**
 * Fills in the server-owned metadata of a new object, as upstream's
 * BeforeCreate does: a name from generateName when no name was given, a
 * fresh uid, creationTimestamp now, generation 1 where tracked, and no
 * deletion fields or resourceVersion (storage assigns that). For resources
 * with a status subresource the status the client sent is dropped.
 */
export function prepareForCreate(def: Def, obj: KubeObject, ctx: MetaContext): KubeObject {
  const out = deepCopy(obj);
  const meta: ObjectMeta = { ...(out.metadata ?? {}) };
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName, ctx.random);
  if (!def.namespaced) delete meta.namespace;
  meta.uid = ctx.newUid();
  meta.creationTimestamp = formatTime(ctx.now());
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (def.custom || tracksGeneration(def.group, def.resource)) meta.generation = 1;
  else delete meta.generation;
  out.metadata = meta;
  if (hasStatusSubresource(def) && out.status !== undefined) delete out.status;
  return out;
}

/**
 * Carries the server-owned metadata of `prev` over to an update, as
 * upstream's BeforeUpdate does: uid, creationTimestamp, deletion fields and
 * generation are the server's; generation goes up by one when the spec
 * changed. For resources with a status subresource, the status stays as it
 * was: only `/status` writes it.
 */
export function prepareForUpdate(def: Def, next: KubeObject, prev: KubeObject): KubeObject {
  const out = deepCopy(next);
  const prevMeta = prev.metadata ?? {};
  const meta: ObjectMeta = { ...(out.metadata ?? {}) };
  for (const key of [
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
  ] as const) {
    if (prevMeta[key] === undefined) delete meta[key];
    else (meta as Record<string, unknown>)[key] = prevMeta[key];
  }
  delete meta.generateName;
  if (prevMeta.generateName !== undefined) meta.generateName = prevMeta.generateName;
  out.metadata = meta;
  if (hasStatusSubresource(def)) {
    const record = out;
    if (prev.status === undefined) delete record.status;
    else record.status = deepCopy(prev.status);
  }
  if (def.custom) {
    // Custom resources count any change outside metadata, as upstream does
    // (with a status subresource, status is already the stored one here).
    const before = prev.metadata?.generation;
    if (before !== undefined) meta.generation = before + (customContentChanged(out, prev) ? 1 : 0);
  } else if (tracksGeneration(def.group, def.resource)) {
    const generation = nextGeneration(out, prev);
    if (generation !== undefined) meta.generation = generation;
  }
  return out;
}

function customContentChanged(next: KubeObject, prev: KubeObject): boolean {
  const { metadata: _a, ...a } = next;
  const { metadata: _b, ...b } = prev;
  return !jsonEqual(a, b);
}

/**
 * The object after a write to its `/status` subresource: everything from
 * `prev` except the status, which comes from `next`. Labels and annotations
 * may change too, as upstream's status strategies allow.
 */
export function prepareForStatusUpdate(next: KubeObject, prev: KubeObject): KubeObject {
  const out = deepCopy(prev);
  out.status = deepCopy(next.status);
  const meta = { ...(out.metadata ?? {}) };
  if (next.metadata?.labels !== undefined) meta.labels = deepCopy(next.metadata.labels);
  if (next.metadata?.annotations !== undefined)
    meta.annotations = deepCopy(next.metadata.annotations);
  if (next.metadata?.resourceVersion !== undefined)
    meta.resourceVersion = next.metadata.resourceVersion;
  out.metadata = meta;
  return out;
}
