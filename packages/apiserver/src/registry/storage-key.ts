import type { ResourceDefinition } from "./resource.js";

/** The prefix under which every object is stored, as upstream's `--etcd-prefix` default. */
export const DEFAULT_STORAGE_PREFIX = "/registry";

/** The group segment used for the core (legacy) group, which has an empty name. */
export const CORE_GROUP_SEGMENT = "core";

function groupSegment(def: Pick<ResourceDefinition, "group">): string {
  return def.group === "" ? CORE_GROUP_SEGMENT : def.group;
}

/**
 * The key prefix of every object of a resource (a list or watch range), or
 * of one namespace's objects: `/registry/apps/deployments/` or
 * `/registry/apps/deployments/default/`. Always ends in `/` so that a
 * namespace `a` never matches `ab`.
 */
export function storageKeyPrefix(
  def: Pick<ResourceDefinition, "group" | "resource" | "namespaced">,
  namespace?: string,
  prefix = DEFAULT_STORAGE_PREFIX,
): string {
  const base = `${prefix}/${groupSegment(def)}/${def.resource}/`;
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

/**
 * The key of one object: `/registry/<group>/<resource>/<namespace>/<name>`
 * for namespaced resources, `/registry/<group>/<resource>/<name>` for
 * cluster-scoped ones. The core group is spelled `core`.
 */
export function storageKey(
  def: Pick<ResourceDefinition, "group" | "resource" | "namespaced">,
  namespace: string | undefined,
  name: string,
  prefix = DEFAULT_STORAGE_PREFIX,
): string {
  if (def.namespaced && !namespace)
    throw new Error(`${def.resource} is namespaced: a namespace is required`);
  return `${storageKeyPrefix(def, namespace, prefix)}${name}`;
}

/** Splits a storage key back into namespace and name, or undefined if it is not under this resource. */
export function parseStorageKey(
  def: Pick<ResourceDefinition, "group" | "resource" | "namespaced">,
  key: string,
  prefix = DEFAULT_STORAGE_PREFIX,
): { namespace?: string; name: string } | undefined {
  const base = storageKeyPrefix(def, undefined, prefix);
  if (!key.startsWith(base)) return undefined;
  const rest = key.slice(base.length).split("/");
  if (def.namespaced) {
    if (rest.length !== 2 || !rest[0] || !rest[1]) return undefined;
    return { namespace: rest[0], name: rest[1] };
  }
  if (rest.length !== 1 || !rest[0]) return undefined;
  return { name: rest[0] };
}
