import type { GroupVersionResource } from "../meta/types.js";
import type { HttpClient } from "../rest/http-client.js";
import { groupVersionPath } from "../rest/paths.js";
import type { APIGroup, APIGroupList, APIResourceList, APIVersions } from "./types.js";

/** A resource found by discovery, with its kind and how to address it. */
export interface DiscoveredResource extends GroupVersionResource {
  kind: string;
  singularName: string;
  shortNames: string[];
  verbs: string[];
  /** True when this version is its group's preferred one. */
  preferred: boolean;
}

/**
 * Asks the apiserver which groups, versions and resources it serves
 * (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`), and caches the
 * answer until {@link invalidate} (call it when a CRD appears or a lookup
 * misses).
 */
export class DiscoveryClient {
  #resources: Promise<DiscoveredResource[]> | undefined;

  constructor(readonly http: HttpClient) {}

  /** Every group the server serves; the core group appears as `""`. */
  async serverGroups(signal?: AbortSignal): Promise<APIGroup[]> {
    const [core, named] = await Promise.all([
      this.http.request<APIVersions>({ method: "GET", path: "/api" }, signal),
      this.http.request<APIGroupList>({ method: "GET", path: "/apis" }, signal),
    ]);
    const coreVersions = (core.versions ?? []).map((version) => ({
      groupVersion: version,
      version,
    }));
    const groups: APIGroup[] = [];
    if (coreVersions.length > 0) {
      groups.push({
        name: "",
        versions: coreVersions,
        ...(coreVersions[0] ? { preferredVersion: coreVersions[0] } : {}),
      });
    }
    return [...groups, ...(named.groups ?? [])];
  }

  /** The resources of one group/version, subresources included (`pods/status`). */
  serverResourcesForGroupVersion(
    group: string,
    version: string,
    signal?: AbortSignal,
  ): Promise<APIResourceList> {
    return this.http.request<APIResourceList>(
      { method: "GET", path: groupVersionPath({ group, version }) },
      signal,
    );
  }

  /** Every top-level resource of every served version (cached). */
  resources(signal?: AbortSignal): Promise<DiscoveredResource[]> {
    if (!this.#resources) {
      this.#resources = this.#discover(signal);
      // A failed discovery must not be cached.
      this.#resources.catch(() => {
        this.#resources = undefined;
      });
    }
    return this.#resources;
  }

  /** Drops the cache; the next lookup asks the server again. */
  invalidate(): void {
    this.#resources = undefined;
  }

  async #discover(signal?: AbortSignal): Promise<DiscoveredResource[]> {
    const groups = await this.serverGroups(signal);
    const lists = await Promise.all(
      groups.flatMap((group) =>
        group.versions.map(async (gv) => ({
          group: group.name,
          version: gv.version,
          preferred: (group.preferredVersion?.version ?? group.versions[0]?.version) === gv.version,
          list: await this.serverResourcesForGroupVersion(group.name, gv.version, signal),
        })),
      ),
    );
    const found: DiscoveredResource[] = [];
    for (const { group, version, preferred, list } of lists) {
      for (const resource of list.resources ?? []) {
        if (resource.name.includes("/")) {
          continue;
        }
        found.push({
          group,
          version,
          resource: resource.name,
          namespaced: resource.namespaced,
          kind: resource.kind,
          singularName: resource.singularName || resource.kind.toLowerCase(),
          shortNames: resource.shortNames ?? [],
          verbs: resource.verbs ?? [],
          preferred,
        });
      }
    }
    return found;
  }
}
