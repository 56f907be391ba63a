import { BUILTIN_RESOURCES } from "./catalogue.js";
import type { ResourceDefinition, SubresourceDefinition } from "./resource.js";

/**
 * Looks resources up the ways the apiserver needs: by URL (group, version,
 * plural), by kind, and by any name a user may type. Built once from a list
 * of definitions so that custom resources can be added by building another.
 */
export interface ResourceIndex {
  /** All definitions, in discovery order. */
  readonly all: readonly ResourceDefinition[];
  /** The resource served at `/apis/<group>/<version>/<resource>`. */
  byResource(group: string, version: string, resource: string): ResourceDefinition | undefined;
  /** The resource whose kind this is. */
  byKind(group: string, version: string, kind: string): ResourceDefinition | undefined;
  /** A subresource of a resource, if it has one of that name. */
  subresource(def: ResourceDefinition, name: string): SubresourceDefinition | undefined;
  /** Every resource matching a plural, singular, short name or kind (case-insensitive), any group. */
  resolve(name: string): ResourceDefinition[];
  /** The groups and their versions, in first-seen order. */
  groups(): { group: string; versions: string[] }[];
}

const key = (group: string, version: string, name: string): string => `${group}/${version}/${name}`;

/** Builds a ResourceIndex; refuses two definitions of the same resource. */
export function createResourceIndex(
  defs: readonly ResourceDefinition[] = BUILTIN_RESOURCES,
): ResourceIndex {
  const byResource = new Map<string, ResourceDefinition>();
  const byKind = new Map<string, ResourceDefinition>();
  for (const def of defs) {
    const k = key(def.group, def.version, def.resource);
    if (byResource.has(k)) throw new Error(`resource ${k} is defined twice`);
    byResource.set(k, def);
    byKind.set(key(def.group, def.version, def.kind), def);
  }
  return {
    all: defs,
    byResource: (group, version, resource) => byResource.get(key(group, version, resource)),
    byKind: (group, version, kind) => byKind.get(key(group, version, kind)),
    subresource: (def, name) => def.subresources.find((s) => s.name === name),
    resolve(name) {
      const n = name.toLowerCase();
      return defs.filter(
        (d) =>
          d.resource === n ||
          d.singular === n ||
          d.kind.toLowerCase() === n ||
          d.shortNames.includes(n),
      );
    },
    groups() {
      const groups = new Map<string, string[]>();
      for (const def of defs) {
        const versions = groups.get(def.group) ?? [];
        if (!versions.includes(def.version)) versions.push(def.version);
        groups.set(def.group, versions);
      }
      return [...groups].map(([group, versions]) => ({ group, versions }));
    },
  };
}
