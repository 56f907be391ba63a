import type { KubeObject } from "../types/object.js";
import type { StoredChange } from "../watch/filter.js";
import { type CachedEvent, EventRing } from "./event-ring.js";

/** Who follows the cache: a client watch, fed synchronously in revision order. */
export interface CacheSubscriber {
  /** A change after the subscriber's start revision. */
  event(event: CachedEvent): void;
  /** The cache was rebuilt from a fresh list: this subscriber is dropped and its client must watch again. */
  reset(): void;
}

/** Why a subscription could not start. */
export type SubscribeFailure =
  /** The revision is older than the oldest event the ring still holds (410). */
  | { ok: false; reason: "too-old"; oldest: number }
  /** The revision is newer than what the cache has seen. */
  | { ok: false; reason: "too-new"; current: number };

/** A started subscription: the ring's events after the start revision, then live events. */
export type Subscription = { ok: true; replay: CachedEvent[]; cancel(): void } | SubscribeFailure;

interface Entry {
  readonly after: number;
  readonly subscriber: CacheSubscriber;
}

/**
 * The pure core of the watch cache (upstream's watchCache): the current
 * objects of one resource, the recent events in a bounded ring, and the
 * subscribers that follow them. It does no I/O and reads no clock: the
 * edge (`resource-cache.ts`) feeds it a list, then the etcd watch's events
 * and progress notifications, in order.
 *
 * Two revisions are kept. `revision` is how far the cache may serve
 * watches from: events and any progress notification move it. `confirmed`
 * is how far the cache certainly holds every change, which consistent
 * lists need: events move it, and only those progress notifications the
 * store is known to send after every earlier event (etcd before 3.4.31
 * may answer a progress request ahead of events still in flight, the bug
 * upstream guards against by version). A subscriber only ever gets events
 * after its own start revision, so an event that arrives behind a
 * progress notification still reaches exactly the watches that need it.
 */
export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private sortedKeys: string[] | undefined;
  private readonly ring: EventRing;
  private readonly subscribers = new Set<Entry>();
  private readonly revisionListeners = new Set<() => void>();
  private currentRevision = 0;
  private confirmedRevision = 0;
  private oldestRevision = 0;
  private initialized = false;

  /** @param capacity how many recent events the ring keeps. */
  constructor(capacity: number) {
    this.ring = new EventRing(capacity);
  }

  /** Whether a list has been loaded. */
  get ready(): boolean {
    return this.initialized;
  }

  /** How far watches may be served from. */
  get revision(): number {
    return this.currentRevision;
  }

  /** How far every change is certainly in the cache (for consistent lists). */
  get confirmed(): number {
    return this.confirmedRevision;
  }

  /** Watches may resume from this revision or any later one; older ones are too old. */
  get oldest(): number {
    return this.oldestRevision;
  }

  /** How many objects the cache holds. */
  get size(): number {
    return this.objects.size;
  }

  /** How many subscribers follow the cache. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** How many events the ring holds. */
  get eventCount(): number {
    return this.ring.size;
  }

  /**
   * Loads the objects of a list read at `revision`, dropping what the cache
   * held: the ring empties and every subscriber is reset (upstream's
   * cacher terminates all watchers when it relists).
   */
  replace(items: ReadonlyArray<{ key: string; object: KubeObject }>, revision: number): void {
    this.objects.clear();
    for (const { key, object } of items) this.objects.set(key, object);
    this.sortedKeys = undefined;
    this.ring.clear();
    this.currentRevision = revision;
    this.confirmedRevision = revision;
    this.oldestRevision = revision;
    this.initialized = true;
    const dropped = [...this.subscribers];
    this.subscribers.clear();
    for (const entry of dropped) entry.subscriber.reset();
    this.notifyRevision();
  }

  /** Applies one change from the store's watch and hands it to the subscribers after it. */
  apply(key: string, change: StoredChange): void {
    const revision = Number(change.resourceVersion);
    if (change.next) {
      if (!this.objects.has(key)) this.sortedKeys = undefined;
      this.objects.set(key, change.next);
    } else if (this.objects.delete(key)) {
      this.sortedKeys = undefined;
    }
    const event: CachedEvent = { key, revision, change };
    const evicted = this.ring.push(event);
    if (evicted) this.oldestRevision = evicted.revision;
    this.currentRevision = Math.max(this.currentRevision, revision);
    this.confirmedRevision = Math.max(this.confirmedRevision, revision);
    for (const entry of this.subscribers) {
      if (revision > entry.after) entry.subscriber.event(event);
    }
    this.notifyRevision();
  }

  /**
   * Records that the store has sent everything up to `revision`; `inOrder`
   * says whether the store is known to send such notifications only after
   * every earlier event (then consistent lists may rely on it).
   */
  progress(revision: number, inOrder: boolean): void {
    const before = this.currentRevision;
    const beforeConfirmed = this.confirmedRevision;
    this.currentRevision = Math.max(this.currentRevision, revision);
    if (inOrder) this.confirmedRevision = Math.max(this.confirmedRevision, revision);
    if (this.currentRevision !== before || this.confirmedRevision !== beforeConfirmed)
      this.notifyRevision();
  }

  /**
   * The current objects under `keyPrefix` (a namespace's keys, say) that
   * pass `predicate`, in key order (as a list from etcd returns them).
   * The keys are kept sorted, so a prefix costs a binary search, not a
   * scan of the whole resource.
   */
  list(predicate: (obj: KubeObject) => boolean = () => true, keyPrefix = ""): KubeObject[] {
    this.sortedKeys ??= [...this.objects.keys()].sort(compareKeys);
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keys[mid]!, keyPrefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: KubeObject[] = [];
    for (let i = lo; i < keys.length && keys[i]!.startsWith(keyPrefix); i++) {
      const obj = this.objects.get(keys[i]!)!;
      if (predicate(obj)) out.push(obj);
    }
    return out;
  }

  /**
   * Follows the cache from `after`: the ring's events after it, then every
   * later event as it is applied. Too old when the ring no longer holds
   * every event after `after`; too new when the cache has not reached it.
   */
  subscribe(after: number, subscriber: CacheSubscriber): Subscription {
    if (after < this.oldestRevision)
      return { ok: false, reason: "too-old", oldest: this.oldestRevision };
    if (after > this.currentRevision)
      return { ok: false, reason: "too-new", current: this.currentRevision };
    const entry: Entry = { after, subscriber };
    this.subscribers.add(entry);
    return {
      ok: true,
      replay: this.ring.after(after),
      cancel: () => {
        this.subscribers.delete(entry);
      },
    };
  }

  /** Calls `listener` whenever `revision` or `confirmed` moves; returns how to stop. */
  onRevision(listener: () => void): () => void {
    this.revisionListeners.add(listener);
    return () => {
      this.revisionListeners.delete(listener);
    };
  }

  private notifyRevision(): void {
    for (const listener of [...this.revisionListeners]) listener();
  }
}

// etcd orders keys by their bytes; for the UTF-8 keys we write, comparing
// UTF-16 code units agrees except across surrogate pairs, which object
// names (DNS labels) never contain.
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
