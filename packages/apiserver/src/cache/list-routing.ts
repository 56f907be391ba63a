import type { ListOptions } from "../request/list-options.js";

/** How a list is served: from the watch cache, and how fresh it must be; or from etcd. */
export type ListRoute =
  /** `resourceVersion=0`: whatever the cache holds. */
  | { from: "cache"; minRevision: "any" }
  /** `resourceVersion` unset: a consistent read, the cache must reach the store's current revision. */
  | { from: "cache"; minRevision: "current" }
  /** `resourceVersion=N` (NotOlderThan): the cache must reach N. */
  | { from: "cache"; minRevision: number }
  | { from: "etcd" };

/**
 * Which lists the watch cache serves, as upstream's cacher decides
 * (`shouldDelegateList`, with consistent lists from cache as in 1.31+):
 * continuations and Exact matches go to etcd (the cache keeps no history
 * of objects), and so do lists with a limit unless resourceVersion is
 * "0" (from the cache, served whole: upstream ignores the limit there, to
 * spare etcd).
 */
export function routeList(options: ListOptions): ListRoute {
  const rv = options.resourceVersion ?? "";
  if (options.continue) return { from: "etcd" };
  if (options.resourceVersionMatch === "Exact") return { from: "etcd" };
  if (rv === "0") return { from: "cache", minRevision: "any" };
  if (options.limit && options.limit > 0) return { from: "etcd" };
  if (rv === "") return { from: "cache", minRevision: "current" };
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) return { from: "etcd" };
  return { from: "cache", minRevision: n };
}
