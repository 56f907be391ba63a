import { LruCache } from "../util/lru.js";
import type { CoreEvent, EventRepeatPatch } from "./types.js";

/** What to do with an event after correlation. */
export type Correlation =
  | { action: "create"; event: CoreEvent }
  | { action: "patch"; event: CoreEvent; patch: EventRepeatPatch }
  | { action: "drop" };

/** Limits of an {@link EventCorrelator}; the defaults are upstream's. */
export interface CorrelatorOptions {
  /** Remembered events and aggregates (default 4096 each). */
  cacheSize?: number;
  /** Events about one object from one source allowed at once (default 25). */
  spamBurst?: number;
  /** Refill rate of that allowance, per second (default 1 per 5 minutes). */
  spamQps?: number;
  /** Distinct messages for one object+reason before they are combined (default 10). */
  aggregateMaxEvents?: number;
  /** Window in which those messages count (default 10 minutes). */
  aggregateIntervalMs?: number;
}

/** Prefix of a message that stands for several similar ones (the same text as upstream, for tools that look for it). */
export const COMBINED_PREFIX = "(combined from similar events): ";

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

interface Aggregate {
  messages: Set<string>;
  lastMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * Decides, without I/O, how an event reaches the server, as upstream's
 * correlator does: drop it when one object's source is spamming; combine
 * many differently-worded events of the same reason into one; and turn an
 * exact repeat into a patch of the earlier Event (count + 1, new
 * lastTimestamp) instead of a new object.
 */
export class EventCorrelator {
  readonly #seen: LruCache<string, Seen>;
  readonly #aggregates: LruCache<string, Aggregate>;
  readonly #spam: LruCache<string, Bucket>;
  readonly #o: Required<CorrelatorOptions>;

  constructor(options: CorrelatorOptions = {}) {
    this.#o = {
      cacheSize: 4096,
      spamBurst: 25,
      spamQps: 1 / 300,
      aggregateMaxEvents: 10,
      aggregateIntervalMs: 600_000,
      ...options,
    };
    this.#seen = new LruCache(this.#o.cacheSize);
    this.#aggregates = new LruCache(this.#o.cacheSize);
    this.#spam = new LruCache(this.#o.cacheSize);
  }

  /** Correlates `event` (freshly built, count 1) seen at `nowMs`. */
  correlate(event: CoreEvent, nowMs: number): Correlation {
    if (!this.#allow(spamKey(event), nowMs)) {
      return { action: "drop" };
    }
    const aggregated = this.#aggregate(event, nowMs);
    const key = aggregated.key;
    const current = aggregated.event;
    const seen = this.#seen.get(key);
    if (seen === undefined) {
      this.#seen.set(key, {
        name: current.metadata?.name ?? "",
        namespace: current.metadata?.namespace ?? "",
        count: 1,
        firstTimestamp: current.firstTimestamp,
      });
      return { action: "create", event: current };
    }
    seen.count++;
    const repeat: CoreEvent = {
      ...current,
      metadata: { ...current.metadata, name: seen.name, namespace: seen.namespace },
      count: seen.count,
      firstTimestamp: seen.firstTimestamp,
    };
    return {
      action: "patch",
      event: repeat,
      patch: { count: seen.count, lastTimestamp: repeat.lastTimestamp, message: repeat.message },
    };
  }

  /** Combines events of one object+reason once too many distinct messages arrive. */
  #aggregate(event: CoreEvent, nowMs: number): { key: string; event: CoreEvent } {
    const similar = similarKey(event);
    let aggregate = this.#aggregates.get(similar);
    if (!aggregate || nowMs - aggregate.lastMs > this.#o.aggregateIntervalMs) {
      aggregate = { messages: new Set(), lastMs: nowMs };
      this.#aggregates.set(similar, aggregate);
    }
    aggregate.messages.add(event.message);
    aggregate.lastMs = nowMs;
    if (aggregate.messages.size < this.#o.aggregateMaxEvents) {
      return { key: exactKey(event), event };
    }
    return { key: similar, event: { ...event, message: COMBINED_PREFIX + event.message } };
  }

  /** A token bucket per object+source. */
  #allow(key: string, nowMs: number): boolean {
    let bucket = this.#spam.get(key);
    if (!bucket) {
      bucket = { tokens: this.#o.spamBurst, lastMs: nowMs };
      this.#spam.set(key, bucket);
    }
    const refill = (Math.max(0, nowMs - bucket.lastMs) / 1000) * this.#o.spamQps;
    bucket.tokens = Math.min(this.#o.spamBurst, bucket.tokens + refill);
    bucket.lastMs = nowMs;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}

function objectKey(event: CoreEvent): string[] {
  const o = event.involvedObject;
  return [
    event.source.component ?? "",
    event.source.host ?? "",
    o.kind ?? "",
    o.namespace ?? "",
    o.name ?? "",
    o.uid ?? "",
    o.apiVersion ?? "",
  ];
}

function spamKey(event: CoreEvent): string {
  return JSON.stringify(objectKey(event));
}

function similarKey(event: CoreEvent): string {
  return JSON.stringify([...objectKey(event), event.type, event.reason]);
}

function exactKey(event: CoreEvent): string {
  return JSON.stringify([
    ...objectKey(event),
    event.involvedObject.fieldPath ?? "",
    event.type,
    event.reason,
    event.message,
  ]);
}
