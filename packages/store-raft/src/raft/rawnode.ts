import { encodeConfChange } from "./conf-change-codec.js";
import type { RaftConfig } from "./config.js";
import { ErrStepLocalMsg, ErrStepPeerNotFound, isRaftError } from "./errors.js";
import {
  isLocalMessage,
  isResponseMessage,
  type Message,
  MessageType,
  makeMessage,
} from "./message.js";
import type { Progress, ProgressState } from "./progress.js";
import { Raft } from "./raft.js";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  hardStateEqual,
  isEmptyHardState,
  isEmptySnapshot,
  type ReadState,
  type Snapshot,
  type SoftState,
  StateType,
} from "./types.js";

/**
 * Everything the application must do after the core changed state. Handle
 * a Ready strictly in this order, then call `advance(ready)`:
 *
 * 1. Persist: write `snapshot` (if any), append `entries`, and write
 *    `hardState` (if any) to stable storage, atomically where possible and
 *    synced if `mustSync`. Nothing may be sent before this is durable: a
 *    vote or an acknowledgement must never outlive a crash that loses what
 *    it promised.
 * 2. Send `messages` to their peers (MsgSnap through the snapshot stream).
 * 3. Apply `committedEntries` to the state machine in order (for
 *    ConfChange entries, call `applyConfChange`), and install `snapshot`
 *    into the state machine if there was one.
 * 4. Call `advance(ready)`.
 */
export interface Ready {
  /** The new soft state, if it changed. Not persisted. */
  readonly softState?: SoftState;
  /** The new hard state, if it changed. Persist before sending. */
  readonly hardState?: HardState;
  /** Answers to read-index requests, in order. */
  readonly readStates: readonly ReadState[];
  /** Entries to append to stable storage before sending. */
  readonly entries: readonly Entry[];
  /** A snapshot from the leader to persist and install, if any. */
  readonly snapshot?: Snapshot;
  /** Entries committed since the last Ready, to apply. Already persisted (or in `entries`). */
  readonly committedEntries: readonly Entry[];
  /** Messages to send once `entries` and `hardState` are durable. */
  readonly messages: readonly Message[];
  /** True if the write in step 1 must be synced to disk (fsync). */
  readonly mustSync: boolean;
}

/** A follower's progress as the leader sees it, for `status()`. */
export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly isLearner: boolean;
  readonly recentActive: boolean;
  readonly inflight: number;
}

/** A snapshot of the node's state, for operators and tests. */
export interface Status {
  readonly id: number;
  readonly hardState: HardState;
  readonly softState: SoftState;
  readonly applied: number;
  readonly leadTransferee: number;
  readonly config: ConfState;
  /** Per-member progress; only on the leader. */
  readonly progress?: ReadonlyMap<number, ProgressStatus>;
}

/** The outcome of sending a snapshot, reported by the transport. */
export enum SnapshotStatus {
  Finish = 0,
  Failure = 1,
}

/**
 * The application's handle on a Raft node: feed it ticks, messages and
 * proposals; collect a {@link Ready}; persist, send and apply it; `advance`.
 * Single-threaded and synchronous; wrap it for concurrency.
 */
export class RawNode {
  /** The state machine itself; exposed for tests and adapters, not for applications. */
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;

  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
  }

  /** Advances the logical clock by one tick (the application calls it every N ms). */
  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (with a pre-vote first if configured). */
  campaign(): void {
    this.raft.step(makeMessage({ type: MessageType.MsgHup, from: this.raft.id }));
  }

  /**
   * Proposes `data` for the log. Throws `ErrProposalDropped` if it can be
   * seen at once that it will not be appended; even if accepted, it may
   * still be lost (leader change) and must be retried by the application.
   */
  propose(data: Uint8Array): void {
    this.raft.step(
      makeMessage({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.Normal, data }],
      }),
    );
  }

  /**
   * Proposes several entries at once, in order: one step and one round of
   * appends to the followers for the whole batch, where `propose` per entry
   * would send a message per entry to every follower. All or none are
   * accepted (it throws as `propose` does).
   */
  proposeBatch(data: readonly Uint8Array[]): void {
    if (data.length === 0) return;
    this.raft.step(
      makeMessage({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: data.map((d) => ({ term: 0, index: 0, type: EntryType.Normal, data: d })),
      }),
    );
  }

  /** Proposes a membership change; apply it with `applyConfChange` once committed. */
  proposeConfChange(cc: ConfChange): void {
    this.raft.step(
      makeMessage({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.ConfChange, data: encodeConfChange(cc) }],
      }),
    );
  }

  /**
   * Feeds a message from a peer. Throws `ErrStepLocalMsg` for local-only
   * kinds and `ErrStepPeerNotFound` for responses from non-members;
   * proposals the node cannot forward are dropped silently.
   */
  step(m: Message): void {
    if (isLocalMessage(m.type)) throw ErrStepLocalMsg;
    if (this.raft.prs.progress.has(m.from) || !isResponseMessage(m.type)) {
      try {
        this.raft.step(m);
      } catch (e) {
        if (isRaftError(e, "proposal-dropped")) return;
        throw e;
      }
      return;
    }
    throw ErrStepPeerNotFound;
  }

  /**
   * Asks for a read index; the answer arrives as a {@link ReadState} in a
   * later Ready, tagged with `ctx` (which should be unique per request).
   */
  readIndex(ctx: Uint8Array): void {
    this.raft.step(
      makeMessage({
        type: MessageType.MsgReadIndex,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.Normal, data: ctx }],
      }),
    );
  }

  /** Asks the leader to hand leadership to `transferee`. */
  transferLeader(transferee: number): void {
    this.raft.step(makeMessage({ type: MessageType.MsgTransferLeader, from: transferee }));
  }

  /** Tells the leader that `id` could not be reached (the transport's report). */
  reportUnreachable(id: number): void {
    this.raft.step(makeMessage({ type: MessageType.MsgUnreachable, from: id }));
  }

  /** Tells the leader whether the snapshot to `id` arrived. */
  reportSnapshot(id: number, status: SnapshotStatus): void {
    this.raft.step(
      makeMessage({
        type: MessageType.MsgSnapStatus,
        from: id,
        reject: status === SnapshotStatus.Failure,
      }),
    );
  }

  /** Applies a committed conf change; returns the new membership (save it with the next snapshot). */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /** True if there is something to persist, send or apply. */
  hasReady(): boolean {
    const r = this.raft;
    const soft = r.softState();
    if (soft.lead !== this.prevSoftState.lead || soft.raftState !== this.prevSoftState.raftState) {
      return true;
    }
    const hard = r.hardState();
    if (!isEmptyHardState(hard) && !hardStateEqual(hard, this.prevHardState)) return true;
    if (r.raftLog.hasPendingSnapshot()) return true;
    return (
      r.msgs.length > 0 ||
      r.raftLog.unstableEntries().length > 0 ||
      r.raftLog.hasNextCommittedEntries() ||
      r.readStates.length > 0
    );
  }

  /**
   * Collects what to do next (see {@link Ready} for the order) and hands
   * over the queued messages and read states. Call `advance` with it
   * before the next `ready()`.
   */
  ready(): Ready {
    const r = this.raft;
    const soft = r.softState();
    const hard = r.hardState();
    const softChanged =
      soft.lead !== this.prevSoftState.lead || soft.raftState !== this.prevSoftState.raftState;
    const hardChanged = !isEmptyHardState(hard) && !hardStateEqual(hard, this.prevHardState);
    const entries = [...r.raftLog.unstableEntries()];
    const pendingSnapshot = r.raftLog.hasPendingSnapshot()
      ? r.raftLog.unstable.snapshot
      : undefined;
    const rd: Ready = {
      ...(softChanged ? { softState: soft } : {}),
      ...(hardChanged ? { hardState: hard } : {}),
      readStates: r.readStates,
      entries,
      ...(pendingSnapshot !== undefined && !isEmptySnapshot(pendingSnapshot)
        ? { snapshot: pendingSnapshot }
        : {}),
      committedEntries: r.raftLog.nextCommittedEntries(),
      messages: r.msgs,
      mustSync:
        entries.length > 0 ||
        (hardChanged &&
          (hard.term !== this.prevHardState.term || hard.vote !== this.prevHardState.vote)),
    };
    if (softChanged) this.prevSoftState = soft;
    r.msgs = [];
    r.readStates = [];
    return rd;
  }

  /** Reports that `rd` was persisted, sent and applied. */
  advance(rd: Ready): void {
    if (rd.hardState !== undefined) this.prevHardState = rd.hardState;
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    this.raft.advance(
      lastCommitted?.index ?? 0,
      rd.entries[rd.entries.length - 1],
      rd.snapshot?.metadata.index ?? 0,
    );
  }

  /** The node's current state. */
  status(): Status {
    const r = this.raft;
    let progress: Map<number, ProgressStatus> | undefined;
    if (r.state === StateType.Leader) {
      progress = new Map();
      r.prs.visit((id, pr: Progress) => {
        progress?.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          isLearner: pr.isLearner,
          recentActive: pr.recentActive,
          inflight: pr.inflights.count(),
        });
      });
    }
    return {
      id: r.id,
      hardState: r.hardState(),
      softState: r.softState(),
      applied: r.raftLog.applied,
      leadTransferee: r.leadTransferee,
      config: r.prs.confState(),
      ...(progress !== undefined ? { progress } : {}),
    };
  }
}
