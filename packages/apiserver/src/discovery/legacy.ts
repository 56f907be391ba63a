import { createHash } from "node:crypto";
import type { ResourceIndex } from "../registry/resource-index.js";
import { groupVersionString } from "../types/group-version.js";

/** metav1.APIVersions: the answer to `GET /api`. */
export interface APIVersions {
  kind: "APIVersions";
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

/** metav1.GroupVersionForDiscovery. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** metav1.APIGroup: one entry of `GET /apis`, and the answer to `GET /apis/<group>`. */
export interface APIGroup {
  kind?: "APIGroup";
  apiVersion?: "v1";
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** metav1.APIGroupList: the answer to `GET /apis`. */
export interface APIGroupList {
  kind: "APIGroupList";
  apiVersion: "v1";
  groups: APIGroup[];
}

/** metav1.APIResource: one resource or subresource in an APIResourceList. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** metav1.APIResourceList: the answer to `GET /api/v1` or `GET /apis/<group>/<version>`. */
export interface APIResourceList {
  kind: "APIResourceList";
  apiVersion?: "v1";
  groupVersion: string;
  resources: APIResource[];
}

/**
 * The storage version hash discovery publishes so clients can tell when the
 * stored form of a resource changes: the first 8 bytes of the SHA-256 of
 * `group/version/kind`, base64.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash("sha256")
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString("base64");
}

/** `GET /api`. `serverAddress` is the host:port clients reach us at. */
export function apiVersions(serverAddress: string): APIVersions {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** One named group's APIGroup document, or undefined if we serve no such group. */
export function apiGroup(index: ResourceIndex, group: string): APIGroup | undefined {
  const found = index.groups().find((g) => g.group === group && group !== "");
  if (!found) return undefined;
  const versions = found.versions.map((version) => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions,
    preferredVersion: versions[0]!,
  };
}

/** `GET /apis`: every named group (the core group is served at /api instead). */
export function apiGroupList(index: ResourceIndex): APIGroupList {
  const groups = index
    .groups()
    .filter((g) => g.group !== "")
    .map((g) => {
      const { kind: _k, apiVersion: _a, ...rest } = apiGroup(index, g.group)!;
      return rest;
    });
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined if that version is not served. */
export function apiResourceList(
  index: ResourceIndex,
  group: string,
  version: string,
): APIResourceList | undefined {
  const defs = index.all.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: APIResource[] = [];
  for (const def of defs) {
    const main: APIResource = {
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...def.verbs],
    };
    if (def.shortNames.length > 0) main.shortNames = [...def.shortNames];
    if (def.categories.length > 0) main.categories = [...def.categories];
    main.storageVersionHash = storageVersionHash(def.group, def.version, def.kind);
    resources.push(main);
    for (const sub of def.subresources) {
      const entry: APIResource = {
        name: `${def.resource}/${sub.name}`,
        singularName: "",
        namespaced: def.namespaced,
        kind: sub.kind,
        verbs: [...sub.verbs],
      };
      if (sub.group !== undefined) entry.group = sub.group;
      if (sub.version !== undefined) entry.version = sub.version;
      resources.push(entry);
    }
  }
  const list: APIResourceList = {
    kind: "APIResourceList",
    groupVersion: groupVersionString(group, version),
    // Upstream lists resources and subresources together, by name.
    resources: resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  // Upstream's legacy /api/v1 document has no apiVersion; the group ones do.
  if (group !== "") list.apiVersion = "v1";
  return list;
}
