import { createClient, type Transport } from "@connectrpc/connect";
import { Maintenance } from "@kubekit/proto/etcd";
import type { ObjectStore } from "../storage/object-store.js";
import { progressRequestsInOrder } from "./progress-support.js";
import { ResourceCache } from "./resource-cache.js";

/** Sizes of the watch cache. */
export interface WatchCacheOptions {
  /** Recent events kept per resource for watches to resume from (default 10 000). */
  eventCapacity?: number;
  /** Events a client watch may fall behind by before it is closed (default 1 000). */
  watcherBufferSize?: number;
}

/** What one resource's cache holds, for tests and metrics. */
export interface ResourceCacheStats {
  prefix: string;
  objects: number;
  events: number;
  watchers: number;
  revision: number;
}

/** The watch caches of every resource, made on first use. */
export interface WatchCacheRegistry {
  /** Events a client watch may fall behind by. */
  readonly watcherBufferSize: number;
  /** The cache of the resource stored under `prefix`, started on first use. */
  forPrefix(prefix: string): ResourceCache;
  /** One entry per started cache. */
  stats(): ResourceCacheStats[];
  /** Stops every cache's etcd watch. */
  close(): void;
}

/**
 * Creates the per-resource watch caches lazily, on the first list or
 * watch of a resource: a resource nobody reads costs no etcd watch and no
 * memory (upstream starts one per resource at boot; kubekit serves
 * resources many clusters never use). The store's version is asked once,
 * to know whether its progress answers can back consistent lists.
 */
export function createWatchCacheRegistry(
  transport: Transport,
  store: ObjectStore,
  options: WatchCacheOptions & { onError?: (error: unknown) => void } = {},
): WatchCacheRegistry {
  const caches = new Map<string, ResourceCache>();
  let inOrder: Promise<boolean> | undefined;
  const progressInOrder = () => {
    inOrder ??= createClient(Maintenance, transport)
      .status({})
      .then((s) => progressRequestsInOrder(s.version))
      .catch(() => {
        // Ask again next time; until then, trust only events.
        inOrder = undefined;
        return false;
      });
    return inOrder;
  };
  return {
    watcherBufferSize: options.watcherBufferSize ?? 1_000,
    forPrefix(prefix) {
      let cache = caches.get(prefix);
      if (!cache) {
        cache = new ResourceCache({
          prefix,
          store,
          transport,
          capacity: options.eventCapacity ?? 10_000,
          progressInOrder,
          ...(options.onError ? { onError: options.onError } : {}),
        });
        caches.set(prefix, cache);
      }
      return cache;
    },
    stats() {
      return [...caches.entries()].map(([prefix, c]) => ({
        prefix,
        objects: c.cache.size,
        events: c.cache.eventCount,
        watchers: c.cache.subscriberCount,
        revision: c.cache.revision,
      }));
    },
    close() {
      for (const cache of caches.values()) cache.close();
      caches.clear();
    },
  };
}
