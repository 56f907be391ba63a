import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable } from "./errors.js";
import type { InitialState, Storage } from "./storage.js";
import {
  type ConfState,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  type Entry,
  EntryType,
  type HardState,
  limitSize,
  type Snapshot,
} from "./types.js";

const EMPTY_DATA = new Uint8Array(0);

/**
 * The reference {@link Storage}: everything in memory. Tests use it as a
 * node's "disk"; a WAL-backed storage keeps the same shape.
 *
 * `ents[0]` is a placeholder standing for the last compacted entry (or the
 * snapshot): it holds that entry's index and term so `term(firstIndex-1)`
 * can be answered, and is never returned by `entries`.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private ents: Entry[] = [{ term: 0, index: 0, type: EntryType.Normal, data: EMPTY_DATA }];

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  /** Records the hard state; the application calls this while handling a Ready. */
  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  /** The hard state last recorded. */
  getHardState(): HardState {
    return this.hardState;
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw ErrCompacted;
    if (hi > this.lastIndex() + 1) {
      throw new Error(`MemoryStorage.entries: hi ${hi} is past last index ${this.lastIndex()}`);
    }
    if (this.ents.length === 1) throw ErrUnavailable;
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  term(i: number): number {
    const offset = this.offset();
    if (i < offset) throw ErrCompacted;
    const e = this.ents[i - offset];
    if (e === undefined) throw ErrUnavailable;
    return e.term;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole contents with `snap` (a follower installing a leader's snapshot). */
  applySnapshot(snap: Snapshot): void {
    if (snap.metadata.index <= this.snap.metadata.index) throw ErrSnapOutOfDate;
    this.snap = snap;
    this.ents = [
      {
        term: snap.metadata.term,
        index: snap.metadata.index,
        type: EntryType.Normal,
        data: EMPTY_DATA,
      },
    ];
  }

  /**
   * Records a snapshot of the application's state as of applied index `i`,
   * to be served to lagging followers. Call `compact` afterwards to drop the
   * entries it covers.
   */
  createSnapshot(i: number, confState: ConfState | undefined, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw ErrSnapOutOfDate;
    if (i > this.lastIndex()) {
      throw new Error(`MemoryStorage.createSnapshot: ${i} is past last index ${this.lastIndex()}`);
    }
    const e = this.ents[i - this.offset()];
    if (e === undefined) throw ErrCompacted;
    this.snap = {
      metadata: {
        index: i,
        term: e.term,
        confState: confState ?? this.snap.metadata.confState,
      },
      data,
    };
    return this.snap;
  }

  /** Drops the entries before `compactIndex` (keeping it as the new placeholder). */
  compact(compactIndex: number): void {
    const offset = this.offset();
    if (compactIndex <= offset) throw ErrCompacted;
    if (compactIndex > this.lastIndex()) {
      throw new Error(
        `MemoryStorage.compact: ${compactIndex} is past last index ${this.lastIndex()}`,
      );
    }
    const keep = this.ents[compactIndex - offset];
    if (keep === undefined) throw ErrCompacted;
    this.ents = [
      { term: keep.term, index: keep.index, type: EntryType.Normal, data: EMPTY_DATA },
      ...this.ents.slice(compactIndex - offset + 1),
    ];
  }

  /**
   * Appends entries that must follow on from (or overwrite a suffix of) what
   * is held; entries already compacted away are skipped.
   */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    const firstHeld = this.firstIndex();
    const lastNew = first.index + entries.length - 1;
    if (lastNew < firstHeld) return;
    const fresh = firstHeld > first.index ? entries.slice(firstHeld - first.index) : entries;
    const head = fresh[0];
    if (head === undefined) return;
    const at = head.index - this.offset();
    if (at > this.ents.length) {
      throw new Error(
        `MemoryStorage.append: gap, last index ${this.lastIndex()}, appending from ${head.index}`,
      );
    }
    // Readers get copies (`entries` slices), so the array is ours to grow in
    // place: the common append at the end must not copy the whole log.
    if (at < this.ents.length) this.ents.length = at;
    for (const entry of fresh) this.ents.push(entry);
  }

  private offset(): number {
    return this.ents[0]!.index;
  }
}
