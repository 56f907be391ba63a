/**
 * The plain data the Raft core works on. Indexes, terms and node ids are
 * JavaScript `number`s: every value stays below 2^53 in any cluster that
 * could exist (a term or index bumped a million times a second would take
 * 285 years to get there), and numbers keep the hot paths free of bigint
 * arithmetic. The wire format (`kubekit.raft.v1`) carries them as uint64.
 */

/** The node id meaning "nobody" (no leader known, no vote cast). */
export const NONE = 0;

/** What an entry's `data` holds. */
export enum EntryType {
  /** Application data (or, when empty, a leader's no-op for its new term). */
  Normal = 0,
  /** An encoded {@link ConfChange}; see `encodeConfChange`. */
  ConfChange = 1,
}

/** One record of the replicated log. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** The state that must be on disk before any message of a Ready is sent. */
export interface HardState {
  /** The latest term this node has seen. */
  readonly term: number;
  /** Who this node voted for in `term` ({@link NONE} if nobody). */
  readonly vote: number;
  /** The highest log index known to be committed. */
  readonly commit: number;
}

/** The node's role. */
export enum StateType {
  Follower = 0,
  Candidate = 1,
  Leader = 2,
  PreCandidate = 3,
}

/** Volatile state, useful for logging and for the application; never persisted. */
export interface SoftState {
  readonly lead: number;
  readonly raftState: StateType;
}

/** The membership: who votes, and who only receives the log. */
export interface ConfState {
  readonly voters: readonly number[];
  readonly learners: readonly number[];
}

/** Where a snapshot sits in the log and which membership it carries. */
export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

/** The application's state up to `metadata.index`, replacing the log before it. */
export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

/** The answer to a read-index request: reads at `index` or later are linearizable. */
export interface ReadState {
  readonly index: number;
  readonly requestCtx: Uint8Array;
}

/** The kinds of single-step membership change. */
export enum ConfChangeType {
  /** Add a voter, or promote an existing learner to voter. */
  AddNode = 0,
  /** Remove a voter or learner. */
  RemoveNode = 1,
  /** Add a learner (a non-voting member), or demote a voter. */
  AddLearnerNode = 2,
}

/** A membership change, proposed through the log and applied once committed. */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: number;
  /** Opaque to Raft: the application can carry e.g. the new member's peer URL here. */
  readonly context?: Uint8Array;
}

/** An empty hard state: nothing to persist. */
export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: NONE, commit: 0 });

/** An empty snapshot: index 0, no members, no data. */
export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  metadata: Object.freeze({
    index: 0,
    term: 0,
    confState: Object.freeze({ voters: [], learners: [] }),
  }),
  data: new Uint8Array(0),
});

/** True if `hs` carries nothing worth persisting. */
export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

/** True if both hard states hold the same values. */
export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** True if `s` is the empty snapshot (index 0). */
export function isEmptySnapshot(s: Snapshot | undefined): boolean {
  return s === undefined || s.metadata.index === 0;
}

/**
 * The size used for flow control and batching: the payload plus a small
 * fixed allowance for the entry's header on the wire.
 */
export function entrySize(e: Entry): number {
  return e.data.byteLength + ENTRY_OVERHEAD_BYTES;
}

/** Bytes counted per entry on top of its payload (term, index, type, framing). */
export const ENTRY_OVERHEAD_BYTES = 16;

/** Keeps the longest prefix of `ents` within `maxSize` bytes, but always at least one entry. */
export function limitSize(ents: readonly Entry[], maxSize: number): Entry[] {
  if (ents.length === 0) return [];
  let size = 0;
  let n = 0;
  for (const e of ents) {
    size += entrySize(e);
    if (n > 0 && size > maxSize) break;
    n++;
  }
  return ents.slice(0, n);
}
