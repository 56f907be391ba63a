import type { StoredChange } from "../watch/filter.js";

/** One change the cache saw, with its key and revision. */
export interface CachedEvent {
  /** The object's storage key. */
  readonly key: string;
  /** Its revision (the change's resourceVersion, as a number). */
  readonly revision: number;
  readonly change: StoredChange;
}

/**
 * A bounded ring of the most recent events, oldest first, as upstream's
 * watchCache keeps its cyclic buffer: watches resume from it, and a
 * resourceVersion older than what it still holds is "too old" (410).
 */
export class EventRing {
  private readonly slots: (CachedEvent | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`event ring capacity must be a positive integer, not ${capacity}`);
    this.slots = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends an event; returns the one pushed out when the ring was full. */
  push(event: CachedEvent): CachedEvent | undefined {
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count) % this.capacity] = event;
      this.count++;
      return undefined;
    }
    const evicted = this.slots[this.start];
    this.slots[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** Empties the ring. */
  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** The events after `revision`, oldest first (binary search: revisions only grow). */
  after(revision: number): CachedEvent[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedEvent[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): CachedEvent {
    return this.slots[(this.start + i) % this.capacity]!;
  }
}
