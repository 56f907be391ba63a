import type { GroupVersionResource } from "../meta/types.js";
import type { DiscoveredResource, DiscoveryClient } from "./discovery-client.js";

/** A kind to look up: group and kind, and a version when a specific one is wanted. */
export interface GroupVersionKind {
  group: string;
  version?: string;
  kind: string;
}

/** Raised when discovery knows no resource for a kind or name. */
export class NoMatchError extends Error {
  override readonly name = "NoMatchError";
}

/**
 * Maps kinds (from `apiVersion` + `kind`) and the names kubectl accepts
 * (plural, singular, short) to resources, using discovery. On a miss it
 * refreshes discovery once, so a CRD created after start is found.
 */
export class RestMapper {
  constructor(readonly discovery: DiscoveryClient) {}

  /** The resource that serves `gvk` (the group's preferred version when none is given). */
  async resourceFor(gvk: GroupVersionKind, signal?: AbortSignal): Promise<GroupVersionResource> {
    const match = await this.#find(
      (r) =>
        r.group === gvk.group &&
        r.kind === gvk.kind &&
        (gvk.version === undefined ? r.preferred : r.version === gvk.version),
      signal,
    );
    if (!match) {
      const version = gvk.version ? `/${gvk.version}` : "";
      throw new NoMatchError(`no resource for kind ${gvk.kind} in group "${gvk.group}"${version}`);
    }
    return strip(match);
  }

  /** The resource for an object's `apiVersion` and `kind`. */
  resourceForObject(
    obj: { apiVersion?: string; kind?: string },
    signal?: AbortSignal,
  ): Promise<GroupVersionResource> {
    if (!obj.apiVersion || !obj.kind) {
      return Promise.reject(new NoMatchError("object has no apiVersion or kind"));
    }
    const slash = obj.apiVersion.lastIndexOf("/");
    const group = slash === -1 ? "" : obj.apiVersion.slice(0, slash);
    const version = obj.apiVersion.slice(slash + 1);
    return this.resourceFor({ group, version, kind: obj.kind }, signal);
  }

  /**
   * The resource for a name as kubectl takes it: plural, singular or short
   * name, optionally `name.group` (`deployments.apps`); preferred versions first.
   */
  async resourceForName(name: string, signal?: AbortSignal): Promise<GroupVersionResource> {
    const lower = name.toLowerCase();
    const dot = lower.indexOf(".");
    const base = dot === -1 ? lower : lower.slice(0, dot);
    const group = dot === -1 ? undefined : lower.slice(dot + 1);
    const matches = (r: DiscoveredResource): boolean =>
      r.preferred &&
      (group === undefined || r.group === group) &&
      (r.resource === base || r.singularName === base || r.shortNames.includes(base));
    const match = await this.#find(matches, signal);
    if (!match) {
      throw new NoMatchError(`the server has no resource type "${name}"`);
    }
    return strip(match);
  }

  async #find(
    predicate: (r: DiscoveredResource) => boolean,
    signal?: AbortSignal,
  ): Promise<DiscoveredResource | undefined> {
    const cached = (await this.discovery.resources(signal)).filter(predicate);
    if (cached.length > 0) {
      return preferCore(cached);
    }
    this.discovery.invalidate();
    return preferCore((await this.discovery.resources(signal)).filter(predicate));
  }
}

/** When several groups match a bare name, the core group wins (as kubectl: `pods` is core pods). */
function preferCore(matches: DiscoveredResource[]): DiscoveredResource | undefined {
  return matches.find((r) => r.group === "") ?? matches[0];
}

function strip(r: DiscoveredResource): GroupVersionResource {
  return { group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced };
}
