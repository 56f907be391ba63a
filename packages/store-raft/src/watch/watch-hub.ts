import { CompactedError } from "../mvcc/errors.js";
import { inRange, type KeyRange, keyRange, toKeyString } from "../mvcc/key-range.js";
import type { MvccStore } from "../mvcc/store.js";
import type { MvccEvent } from "../mvcc/types.js";

/** What one watcher asked for (etcd's WatchCreateRequest, in store terms). */
export interface WatchSpec {
  readonly key: Uint8Array;
  readonly rangeEnd: Uint8Array;
  /** Replay from this revision; 0 means "from the next write on". */
  readonly startRevision: number;
  readonly noPut: boolean;
  readonly noDelete: boolean;
  readonly prevKv: boolean;
}

/** Where a watcher's events go. */
export type WatchSink = (events: MvccEvent[], revision: number) => void;

/** The outcome of creating a watcher. */
export type WatchStart =
  | { readonly ok: true; readonly replay: MvccEvent[] }
  | { readonly ok: false; readonly compactRevision: number };

interface Watcher {
  readonly range: KeyRange;
  readonly spec: WatchSpec;
  readonly sink: WatchSink;
}

/**
 * Fans the store's write events out to watchers. A watcher created with a
 * past start revision first gets the history from the store (the replay),
 * then every later event; one below the compaction is refused with the
 * compact revision, as etcd does. Synchronous: the store's single writer
 * calls `publish` after each write, so no event falls between replay and
 * live delivery.
 */
export class WatchHub {
  private readonly watchers = new Map<number, Watcher>();
  private nextId = 1;

  constructor(private readonly store: MvccStore) {}

  /** Registers a watcher; returns its hub-wide ID and its replay. */
  add(spec: WatchSpec, sink: WatchSink): { id: number; start: WatchStart } {
    const range = keyRange(spec.key, spec.rangeEnd);
    let replay: MvccEvent[] = [];
    if (spec.startRevision > 0 && spec.startRevision <= this.store.currentRevision) {
      try {
        replay = [...this.store.eventsSince(spec.startRevision, range)].filter((e) =>
          wanted(spec, e),
        );
      } catch (error) {
        if (error instanceof CompactedError) {
          return { id: 0, start: { ok: false, compactRevision: error.compactRevision } };
        }
        throw error;
      }
    }
    const id = this.nextId++;
    this.watchers.set(id, { range, spec, sink });
    return { id, start: { ok: true, replay: replay.map((e) => shaped(spec, e)) } };
  }

  /** Removes a watcher; returns whether it existed. */
  remove(id: number): boolean {
    return this.watchers.delete(id);
  }

  /** How many watchers there are (for metrics). */
  get size(): number {
    return this.watchers.size;
  }

  /** Delivers the events of one write to every watcher that wants any of them. */
  publish(events: readonly MvccEvent[], revision: number): void {
    for (const watcher of this.watchers.values()) {
      const matching: MvccEvent[] = [];
      for (const event of events) {
        if (
          event.kv.modRevision >= watcher.spec.startRevision &&
          inRange(watcher.range, toKeyString(event.kv.key)) &&
          wanted(watcher.spec, event)
        ) {
          matching.push(shaped(watcher.spec, event));
        }
      }
      if (matching.length > 0) watcher.sink(matching, revision);
    }
  }
}

function wanted(spec: WatchSpec, event: MvccEvent): boolean {
  return event.type === "put" ? !spec.noPut : !spec.noDelete;
}

/** The event as this watcher receives it: without prevKv unless asked. */
function shaped(spec: WatchSpec, event: MvccEvent): MvccEvent {
  if (spec.prevKv || event.prevKv === undefined) return event;
  return { type: event.type, kv: event.kv };
}
