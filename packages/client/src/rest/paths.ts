import type { GroupVersionResource } from "../meta/types.js";

/** Where in a resource's URL space a request goes. */
export interface ResourcePathOptions {
  /** Required for namespaced resources' objects; omit to address all namespaces. */
  namespace?: string;
  /** An object's name; omit for the collection. */
  name?: string;
  /** `status`, `scale`, ... */
  subresource?: string;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(gvr: Pick<GroupVersionResource, "group" | "version">): string {
  return gvr.group === "" ? `/api/${gvr.version}` : `/apis/${gvr.group}/${gvr.version}`;
}

/**
 * The REST path of a collection, object or subresource, e.g.
 * `/api/v1/namespaces/default/pods/web/status` or `/apis/apps/v1/deployments`.
 * Segments are URL-encoded.
 */
export function resourcePath(gvr: GroupVersionResource, options: ResourcePathOptions = {}): string {
  let path = groupVersionPath(gvr);
  if (gvr.namespaced && options.namespace) {
    path += `/namespaces/${encodeURIComponent(options.namespace)}`;
  }
  path += `/${gvr.resource}`;
  if (options.name !== undefined) {
    if (options.name === "") {
      throw new Error(`${gvr.resource}: an object name must not be empty`);
    }
    path += `/${encodeURIComponent(options.name)}`;
    if (options.subresource) {
      path += `/${options.subresource}`;
    }
  } else if (options.subresource) {
    throw new Error(`${gvr.resource}: subresource "${options.subresource}" needs an object name`);
  }
  return path;
}

/** Query parameters: undefined values are left out, others stringified. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** Renders query parameters in a stable order (insertion order), skipping undefined ones. */
export function queryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
