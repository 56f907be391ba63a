import { Inflights } from "./inflights.js";

/** How the leader is currently replicating to a follower. */
export enum ProgressState {
  /** Unsure where the follower's log ends: one MsgApp per heartbeat interval until it answers. */
  Probe = 0,
  /** The follower is in sync: stream entries optimistically, limited by the inflights window. */
  Replicate = 1,
  /** The follower needs a snapshot; send nothing until it reports back. */
  Snapshot = 2,
}

/** The leader's view of one follower's log. */
export class Progress {
  /** The highest index known to be on the follower. */
  match: number;
  /** The next index to send. */
  next: number;
  state: ProgressState = ProgressState.Probe;
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from in the current election timeout (for CheckQuorum). */
  recentActive = false;
  /** In probe state: a probe is out, wait for an answer before sending another. */
  probeSent = false;
  readonly inflights: Inflights;
  isLearner: boolean;

  constructor(opts: {
    match: number;
    next: number;
    maxInflight: number;
    maxInflightBytes?: number;
    isLearner?: boolean;
  }) {
    this.match = opts.match;
    this.next = opts.next;
    this.inflights = new Inflights(opts.maxInflight, opts.maxInflightBytes ?? 0);
    this.isLearner = opts.isLearner ?? false;
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /** Back to probing, resuming after the snapshot if one was just sent. */
  becomeProbe(): void {
    if (this.state === ProgressState.Snapshot) {
      const pending = this.pendingSnapshot;
      this.resetState(ProgressState.Probe);
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState(ProgressState.Probe);
      this.next = this.match + 1;
    }
  }

  /** Start streaming. */
  becomeReplicate(): void {
    this.resetState(ProgressState.Replicate);
    this.next = this.match + 1;
  }

  /** Wait for the snapshot at `snapshotIndex` to be installed. */
  becomeSnapshot(snapshotIndex: number): void {
    this.resetState(ProgressState.Snapshot);
    this.pendingSnapshot = snapshotIndex;
  }

  /** The follower acknowledged up to `n`; returns false if that was old news. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** In replicate state: assume entries up to `n` will arrive. */
  optimisticUpdate(n: number): void {
    this.next = n + 1;
  }

  /**
   * The follower rejected a MsgApp at `rejected`; `matchHint` is where the
   * leader guesses the logs agree. Returns false for a stale rejection.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === ProgressState.Replicate) {
      // Rejections of indexes we already know match are old news.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    // In probe state only the answer to the latest probe (at next-1) counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), 1);
    this.probeSent = false;
    return true;
  }

  /** True if the leader should hold off sending appends to this follower. */
  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.Probe:
        return this.probeSent;
      case ProgressState.Replicate:
        return this.inflights.full();
      case ProgressState.Snapshot:
        return true;
    }
  }
}
