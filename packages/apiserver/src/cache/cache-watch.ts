import { resourceExpired, tooManyRequests } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { KubeObject } from "../types/object.js";
import type { ResourceCache } from "./resource-cache.js";
import { tooLargeResourceVersion } from "./too-large.js";
import type { CacheSubscriber } from "./watch-cache.js";

/** How long a request waits for the cache: to load, or to reach a revision (upstream: 3 s). */
export const CACHE_WAIT_MS = 3_000;
/** How long a request waits for a resource's first list. */
export const CACHE_READY_WAIT_MS = 10_000;

/** What a client watch asked for. */
export interface CacheWatchRequest {
  /** The resourceVersion parameter, "" when unset. */
  resourceVersion: string;
  sendInitialEvents?: boolean;
  matches: (obj: KubeObject) => boolean;
  /** The keys the watch can match (its namespace's), for the initial list. */
  keyPrefix?: string;
}

/** A watch attached to the cache. */
export interface CacheWatch {
  ok: true;
  /** The objects to send as ADDED first (the state at `after`). */
  initial: KubeObject[];
  /** The revision the watch follows from. */
  after: number;
  cancel(): void;
}

/** Why it could not attach: a Status, sent as the response, or as an ERROR event in a 200 stream (410, as upstream's cacher). */
export type CacheWatchFailure = { ok: false; status: Status; asEvent: boolean };

/**
 * Attaches a client watch to a resource's cache, as upstream's cacher
 * does: with resourceVersion unset or "0" (or sendInitialEvents) it
 * starts with the current objects, unset waiting first for the cache to
 * reach the store's current revision; with a resourceVersion it waits
 * (bounded) for the cache to reach it and replays the ring's events after
 * it, or answers 410 when the ring no longer reaches back that far.
 */
export async function attachWatch(
  rc: ResourceCache,
  request: CacheWatchRequest,
  subscriber: CacheSubscriber,
  storeRevision: () => Promise<string>,
): Promise<CacheWatch | CacheWatchFailure> {
  const rv = request.resourceVersion;
  if (!(await rc.whenReady(CACHE_READY_WAIT_MS)))
    return { ok: false, status: tooManyRequests("storage is (re)initializing"), asEvent: false };
  const initialEvents = request.sendInitialEvents ?? (rv === "" || rv === "0");
  let from: number | undefined;
  if (rv === "") {
    // A consistent start: whatever the store held when the watch came in.
    await rc.waitForRevision(Number(await storeRevision()), CACHE_WAIT_MS);
  } else if (rv !== "0") {
    from = Number(rv);
    if (!(await rc.waitForRevision(from, CACHE_WAIT_MS)))
      return {
        ok: false,
        status: tooLargeResourceVersion(from, rc.cache.revision),
        asEvent: false,
      };
  }
  // From here on nothing awaits, so the initial state and the subscription meet exactly.
  const cache = rc.cache;
  const after = initialEvents || from === undefined ? cache.revision : from;
  const initial = initialEvents ? cache.list(request.matches, request.keyPrefix) : [];
  const sub = cache.subscribe(after, subscriber);
  if (!sub.ok) {
    const status =
      sub.reason === "too-old"
        ? resourceExpired(rv, sub.oldest)
        : tooLargeResourceVersion(after, sub.current);
    return { ok: false, status, asEvent: sub.reason === "too-old" };
  }
  for (const event of sub.replay) subscriber.event(event);
  return { ok: true, initial, after, cancel: sub.cancel };
}
