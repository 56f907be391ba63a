import type { ConfState, Entry, HardState, Snapshot } from "./types.js";

/** What a node starts from: its persisted hard state and membership. */
export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

/**
 * The durable log as the Raft core sees it. The core only ever reads it; the
 * application writes to it (entries, hard state, snapshots) while handling
 * each Ready, before sending that Ready's messages. Expected conditions are
 * thrown as the named {@link StorageError} constants (`ErrCompacted`,
 * `ErrUnavailable`, `ErrSnapshotTemporarilyUnavailable`); anything else
 * thrown is treated as fatal.
 */
export interface Storage {
  /** The persisted hard state and membership, read once when a node starts. */
  initialState(): InitialState;
  /**
   * Entries in `[lo, hi)`, at most `maxSize` bytes of them but always at least
   * one if any are in range. Throws `ErrCompacted` if `lo` was compacted away.
   */
  entries(lo: number, hi: number, maxSize: number): Entry[];
  /**
   * The term of the entry at `i`, for `i` in `[firstIndex()-1, lastIndex()]`
   * (the entry before the first is kept for its term). Throws `ErrCompacted`
   * or `ErrUnavailable` outside that range.
   */
  term(i: number): number;
  /** The index of the first entry still held (the snapshot's index + 1). */
  firstIndex(): number;
  /** The index of the last entry held. */
  lastIndex(): number;
  /** The most recent snapshot; throws `ErrSnapshotTemporarilyUnavailable` while one is being made. */
  snapshot(): Snapshot;
}
