import { ErrCompacted, ErrUnavailable, isStorageError } from "./errors.js";
import type { Storage } from "./storage.js";
import { type Entry, entrySize, type Snapshot } from "./types.js";
import { Unstable } from "./unstable.js";

/** No size limit when slicing the log. */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * The node's view of the whole log: the durable part (read from
 * {@link Storage}) followed by the {@link Unstable} tail, plus the commit
 * and apply cursors. Invariant: applied <= committed <= lastIndex().
 */
export class RaftLog {
  readonly storage: Storage;
  readonly unstable: Unstable;
  /** The highest index known to be replicated on a quorum. */
  committed: number;
  /** The highest index the application has applied (reported through `advance`). */
  applied: number;
  /** Largest batch of committed entries handed out in one Ready. */
  readonly maxNextEntsSize: number;

  constructor(storage: Storage, maxNextEntsSize = NO_LIMIT) {
    this.storage = storage;
    this.maxNextEntsSize = maxNextEntsSize;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = first - 1;
    this.applied = first - 1;
  }

  /**
   * Appends leader entries after (index, logTerm) if our log matches there,
   * truncating any conflicting suffix, then commits up to `committed`.
   * Returns the new last index, or undefined on a log mismatch.
   */
  maybeAppend(
    index: number,
    logTerm: number,
    committed: number,
    ents: readonly Entry[],
  ): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    const conflict = this.findConflict(ents);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(
          `entry ${conflict} conflicts with committed entry (committed ${this.committed})`,
        );
      }
      this.append(ents.slice(conflict - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  /** Appends entries to the unstable tail, truncating anything they overwrite; returns the last index. */
  append(ents: readonly Entry[]): number {
    const first = ents[0];
    if (first === undefined) return this.lastIndex();
    if (first.index - 1 < this.committed) {
      throw new Error(`append after ${first.index - 1} is below committed ${this.committed}`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * The index of the first entry in `ents` whose term differs from ours, or
   * of the first entry past our log; 0 if all of `ents` is already held.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term` (or the first index
   * whose term we cannot read). A leader uses it, with the follower's hint,
   * to skip a whole term of mismatched entries in one probe.
   */
  findConflictByTerm(index: number, term: number): number {
    if (index > this.lastIndex()) return index;
    let i = index;
    // Bounded: i only decreases, and terms below the first index are unreadable.
    for (; i > 0; i--) {
      const t = this.termOrUndefined(i);
      if (t === undefined || t <= term) break;
    }
    return i;
  }

  /** Entries not yet persisted. */
  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  /** Committed entries not yet applied, up to `maxNextEntsSize` bytes. */
  nextCommittedEntries(): Entry[] {
    const off = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 <= off) return [];
    return this.slice(off, this.committed + 1, this.maxNextEntsSize);
  }

  /** True if some committed entries are waiting to be applied. */
  hasNextCommittedEntries(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  /** True if an incoming snapshot waits to be persisted. */
  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== undefined && this.unstable.snapshot.metadata.index !== 0;
  }

  /** The snapshot to hand to the application or send to a follower. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Advances the commit index; it never goes backwards. */
  commitTo(toCommit: number): void {
    if (this.committed >= toCommit) return;
    if (this.lastIndex() < toCommit) {
      throw new Error(`commit ${toCommit} is out of range [last ${this.lastIndex()}]`);
    }
    this.committed = toCommit;
  }

  /** Records that the application applied up to `i`. */
  appliedTo(i: number): void {
    if (i === 0) return;
    if (this.committed < i || i < this.applied) {
      throw new Error(
        `applied ${i} out of range [applied ${this.applied}, committed ${this.committed}]`,
      );
    }
    this.applied = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  lastTerm(): number {
    const t = this.termOrUndefined(this.lastIndex());
    if (t === undefined) throw new Error("the last entry's term is unreadable");
    return t;
  }

  /**
   * The term at `i`: 0 past the last index or before the placeholder;
   * throws ErrCompacted / ErrUnavailable from storage.
   */
  term(i: number): number {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return 0;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    return this.storage.term(i);
  }

  /** The term at `i`, or undefined where it cannot be read (compacted or unavailable). */
  termOrUndefined(i: number): number | undefined {
    try {
      return this.term(i);
    } catch (e) {
      if (isStorageError(e, "compacted") || isStorageError(e, "unavailable")) return undefined;
      throw e;
    }
  }

  /** Entries from `i` to the end, at most `maxSize` bytes (always at least one). */
  entries(i: number, maxSize: number): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  /** Every entry held (for tests and debugging). */
  allEntries(): Entry[] {
    return this.entries(this.firstIndex(), NO_LIMIT);
  }

  /** The Raft election restriction: is (lastIndex, term) at least as up to date as our log? */
  isUpToDate(lastIndex: number, term: number): boolean {
    const ourTerm = this.lastTerm();
    return term > ourTerm || (term === ourTerm && lastIndex >= this.lastIndex());
  }

  /** True if we hold an entry at `i` with term `term`. */
  matchTerm(i: number, term: number): boolean {
    const t = this.termOrUndefined(i);
    return t !== undefined && t === term;
  }

  /**
   * Commits up to `maxIndex` if that entry is from `term`. The leader passes
   * its current term: entries of earlier terms are committed only indirectly
   * (Raft §5.4.2).
   */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrUndefined(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  /** Replaces the log with a snapshot received from the leader. */
  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /**
   * Entries in `[lo, hi)` within `maxSize` bytes (at least one), stitched
   * from storage and the unstable tail. Throws ErrCompacted below the first index.
   */
  slice(lo: number, hi: number, maxSize: number): Entry[] {
    this.checkOutOfBounds(lo, hi);
    if (lo === hi) return [];
    let ents: Entry[] = [];
    if (lo < this.unstable.offset) {
      const stored = this.storage.entries(lo, Math.min(hi, this.unstable.offset), maxSize);
      const want = Math.min(hi, this.unstable.offset) - lo;
      // Storage hit the size limit: the unstable part cannot follow on.
      if (stored.length < want) return stored;
      ents = stored;
    }
    if (hi > this.unstable.offset) {
      const tail = this.unstable.slice(Math.max(lo, this.unstable.offset), hi);
      ents = ents.length > 0 ? [...ents, ...tail] : tail;
    }
    return limitBytes(ents, maxSize);
  }

  private checkOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) throw new Error(`invalid slice ${lo} > ${hi}`);
    const first = this.firstIndex();
    if (lo < first) throw ErrCompacted;
    const length = this.lastIndex() + 1 - first;
    if (hi > first + length) {
      throw ErrUnavailable;
    }
  }
}

function limitBytes(ents: Entry[], maxSize: number): Entry[] {
  if (maxSize >= NO_LIMIT || ents.length <= 1) return ents;
  let size = 0;
  for (let n = 0; n < ents.length; n++) {
    size += entrySize(ents[n]!);
    if (n > 0 && size > maxSize) return ents.slice(0, n);
  }
  return ents;
}
