import type { KubeObject } from "../types/object.js";
import { CACHE_READY_WAIT_MS, CACHE_WAIT_MS } from "./cache-watch.js";
import type { ListRoute } from "./list-routing.js";
import type { ResourceCache } from "./resource-cache.js";

/** A list served from the cache: the matching objects and the revision they are at. */
export interface CachedList {
  items: KubeObject[];
  revision: number;
}

/**
 * Serves a list the router sent to the cache, once the cache is fresh
 * enough: any state for resourceVersion "0"; for a consistent list (unset)
 * every change up to the store's current revision, read with a cheap
 * count-only range; for "N" every change up to N. Undefined means "read
 * etcd instead": the cache is still loading, or did not get there in time
 * (upstream falls back to etcd the same way for consistent reads).
 */
export async function listFromCache(
  rc: ResourceCache,
  route: Extract<ListRoute, { from: "cache" }>,
  matches: (obj: KubeObject) => boolean,
  storeRevision: () => Promise<string>,
  keyPrefix = "",
): Promise<CachedList | undefined> {
  if (!(await rc.whenReady(route.minRevision === "any" ? CACHE_READY_WAIT_MS : 0)))
    return undefined;
  if (route.minRevision !== "any") {
    const target =
      route.minRevision === "current" ? Number(await storeRevision()) : route.minRevision;
    if (!(await rc.waitForConfirmed(target, CACHE_WAIT_MS))) return undefined;
  }
  return { items: rc.cache.list(matches, keyPrefix), revision: rc.cache.revision };
}
