import { Progress } from "./progress.js";
import { majorityCommitted, majorityVoteResult, VoteResult } from "./quorum.js";
import type { ConfState } from "./types.js";

/**
 * The membership and what the leader knows about every member: one
 * {@link Progress} per voter and learner, plus the votes of the current
 * election. Learners get the log but are never counted in a quorum.
 */
export class ProgressTracker {
  readonly voters = new Set<number>();
  readonly learners = new Set<number>();
  readonly progress = new Map<number, Progress>();
  readonly votes = new Map<number, boolean>();

  constructor(
    readonly maxInflight: number,
    readonly maxInflightBytes = 0,
  ) {}

  /** The membership as plain data, ids sorted. */
  confState(): ConfState {
    return {
      voters: [...this.voters].sort((a, b) => a - b),
      learners: [...this.learners].sort((a, b) => a - b),
    };
  }

  /** All member ids in ascending order (so output and message order are deterministic). */
  ids(): number[] {
    return [...this.progress.keys()].sort((a, b) => a - b);
  }

  /** Calls `fn` for every member in ascending id order. */
  visit(fn: (id: number, pr: Progress) => void): void {
    for (const id of this.ids()) {
      const pr = this.progress.get(id);
      if (pr !== undefined) fn(id, pr);
    }
  }

  /** True if this is a one-voter cluster (the leader decides alone). */
  isSingleton(): boolean {
    return this.voters.size === 1;
  }

  /** Adds a member with fresh progress (or changes its role if already present). */
  addMember(id: number, isLearner: boolean, match: number, next: number): void {
    if (isLearner) {
      this.voters.delete(id);
      this.learners.add(id);
    } else {
      this.learners.delete(id);
      this.voters.add(id);
    }
    const existing = this.progress.get(id);
    if (existing !== undefined) {
      existing.isLearner = isLearner;
      return;
    }
    const pr = new Progress({
      match,
      next,
      maxInflight: this.maxInflight,
      maxInflightBytes: this.maxInflightBytes,
      isLearner,
    });
    // A new member counts as active so CheckQuorum does not depose the
    // leader before it has had a chance to hear from it.
    pr.recentActive = true;
    this.progress.set(id, pr);
  }

  /** Removes a member entirely. */
  removeMember(id: number): void {
    this.voters.delete(id);
    this.learners.delete(id);
    this.progress.delete(id);
    this.votes.delete(id);
  }

  /** The highest index replicated on a majority of voters. */
  committed(): number {
    return majorityCommitted(this.voters, (id) => this.progress.get(id)?.match);
  }

  /** True if a majority of voters were heard from recently. */
  quorumActive(): boolean {
    const active = new Map<number, boolean>();
    for (const [id, pr] of this.progress) {
      if (!pr.isLearner) active.set(id, pr.recentActive);
    }
    return majorityVoteResult(this.voters, active) === VoteResult.Won;
  }

  /** Forgets the votes of the last election. */
  resetVotes(): void {
    this.votes.clear();
  }

  /** Records `id`'s vote, ignoring a second answer from the same node. */
  recordVote(id: number, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  /** Counts the votes: granted, rejected, and the outcome. */
  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const v = this.votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    }
    return { granted, rejected, result: majorityVoteResult(this.voters, this.votes) };
  }
}
