import { applyConfChangeToTracker, restoreTracker } from "./apply-conf-change.js";
import { type RaftConfig, type ResolvedRaftConfig, resolveConfig } from "./config.js";
import { isStorageError } from "./errors.js";
import { RaftLog } from "./log.js";
import { type Message, MessageType, makeMessage, voteResponseType } from "./message.js";
import { VoteResult } from "./quorum.js";
import type { RandomSource } from "./random.js";
import { ReadOnly } from "./read-only.js";
import { bcastAppend, maybeSendAppend } from "./replication.js";
import { stepCandidate } from "./step-candidate.js";
import { stepFollower } from "./step-follower.js";
import { stepLeader } from "./step-leader.js";
import { ProgressTracker } from "./tracker.js";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  isEmptyHardState,
  NONE,
  type ReadState,
  type SoftState,
  StateType,
} from "./types.js";

/** Why an election is being run. */
export enum CampaignType {
  /** A pre-vote round: ask whether we could win, without bumping anyone's term. */
  PreElection = 0,
  /** A normal election. */
  Election = 1,
  /** An election ordered by the leader (MsgTimeoutNow): voters ignore their leader lease. */
  Transfer = 2,
}

/** The context marking vote requests of a leader transfer. */
export const CAMPAIGN_TRANSFER_CONTEXT = new TextEncoder().encode("CampaignTransfer");

/** A role's message handler; the node swaps them as its role changes. */
export type StepFunction = (r: Raft, m: Message) => void;

/**
 * One Raft node's state machine. Pure: it reads its {@link Storage}, and
 * otherwise only changes its own fields and queues outgoing messages in
 * `msgs`. Time comes in through `tick()`, randomness through the injected
 * {@link RandomSource}. Applications use it through `RawNode`.
 */
export class Raft {
  /** This node's id. */
  readonly id: number;
  /** The current term (persisted). */
  term = 0;
  /** Who we voted for in `term` (persisted); NONE if nobody. */
  vote = NONE;
  /** Answers to read-index requests, drained by each Ready. */
  readStates: ReadState[] = [];
  /** The log: storage plus the unstable tail, with commit and apply cursors. */
  readonly raftLog: RaftLog;
  /** Membership and, on a leader, every member's replication progress. */
  prs: ProgressTracker;
  /** The current role. */
  state: StateType = StateType.Follower;
  /** True if this node is a learner in the current configuration. */
  isLearner = false;
  /** Messages to send, drained by each Ready. */
  msgs: Message[] = [];
  /** The leader we know of in `term`; NONE if unknown. */
  lead = NONE;
  /** The node leadership is being handed to, if any. */
  leadTransferee = NONE;
  /**
   * Only one conf change may be in the log and unapplied at a time; this is
   * the index of the latest one (or the leader's term-start index).
   */
  pendingConfIndex = 0;
  /** The leader's queue of read-index requests awaiting a heartbeat quorum. */
  readOnly: ReadOnly;
  /** Read requests held until the leader has committed an entry of its own term. */
  pendingReadIndexMessages: Message[] = [];
  /** Ticks since the last election timeout (followers, candidates) or since it was reset (leaders). */
  electionElapsed = 0;
  /** Ticks since the last heartbeat (leaders only). */
  heartbeatElapsed = 0;
  /** This term's election timeout, drawn from [electionTick, 2*electionTick). */
  randomizedElectionTimeout = 0;
  /** The configuration, defaults filled in. */
  readonly cfg: ResolvedRaftConfig;
  private readonly random: RandomSource;
  /** The role's tick handler (election timer, or the leader's heartbeat timer). */
  tickFn: () => void = () => this.tickElection();
  /** The role's message handler. */
  stepFn: StepFunction = stepFollower;

  constructor(config: RaftConfig) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    this.random = this.cfg.random;
    this.raftLog = new RaftLog(this.cfg.storage, this.cfg.maxCommittedSizePerReady);
    const { hardState, confState } = this.cfg.storage.initialState();
    this.prs = new ProgressTracker(this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
    restoreTracker(this.prs, confState, this.raftLog.lastIndex());
    this.isLearner = this.prs.learners.has(this.id);
    if (!isEmptyHardState(hardState)) this.loadState(hardState);
    if (this.cfg.applied > 0) this.raftLog.appliedTo(this.cfg.applied);
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption);
    this.becomeFollower(this.term, NONE);
  }

  /** The volatile state, for the application. */
  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  /** The state that must be persisted. */
  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  private loadState(hs: HardState): void {
    if (hs.commit < this.raftLog.committed || hs.commit > this.raftLog.lastIndex()) {
      throw new Error(
        `${this.id} state.commit ${hs.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`,
      );
    }
    this.raftLog.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  /** Queues `m` for sending, stamping our id and (for most kinds) our term. */
  send(fields: Partial<Message> & Pick<Message, "type" | "to">): void {
    const t = fields.type;
    let term = fields.term ?? 0;
    const isVoteKind =
      t === MessageType.MsgVote ||
      t === MessageType.MsgVoteResp ||
      t === MessageType.MsgPreVote ||
      t === MessageType.MsgPreVoteResp;
    if (isVoteKind) {
      // Vote messages carry the term they are about (for pre-votes, a future one).
      if (term === 0) throw new Error(`term should be set when sending ${MessageType[t]}`);
    } else {
      if (term !== 0) throw new Error(`term should not be set when sending ${MessageType[t]}`);
      // Proposals and read requests forwarded to the leader are local to it:
      // they carry no term.
      if (t !== MessageType.MsgProp && t !== MessageType.MsgReadIndex) term = this.term;
    }
    this.msgs.push(makeMessage({ ...fields, from: this.id, term }));
  }

  /** Commits what a quorum holds, if the newest such entry is from this term. */
  maybeCommit(): boolean {
    return this.raftLog.maybeCommit(this.prs.committed(), this.term);
  }

  /** Resets per-term state when the term or role changes. */
  reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.prs.resetVotes();
    const last = this.raftLog.lastIndex();
    for (const [id, pr] of this.prs.progress) {
      pr.becomeProbe();
      pr.match = id === this.id ? last : 0;
      pr.next = last + 1;
      pr.recentActive = false;
    }
    this.pendingConfIndex = 0;
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption);
    this.pendingReadIndexMessages = [];
  }

  /** Appends entries proposed to this leader, stamping term and index. */
  appendEntry(es: readonly Entry[]): void {
    let li = this.raftLog.lastIndex();
    const stamped = es.map((e) => {
      li++;
      return { ...e, term: this.term, index: li };
    });
    li = this.raftLog.append(stamped);
    this.prs.progress.get(this.id)?.maybeUpdate(li);
    // A one-voter cluster commits on append.
    this.maybeCommit();
  }

  /** Advances the logical clock by one tick. */
  tick(): void {
    this.tickFn();
  }

  /** Followers and candidates: campaign when the election timeout passes. */
  tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      this.step(makeMessage({ type: MessageType.MsgHup, from: this.id }));
    }
  }

  /** Leaders: heartbeat every heartbeatTick, check the quorum every election timeout. */
  tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) {
        this.step(makeMessage({ type: MessageType.MsgCheckQuorum, from: this.id }));
      }
      // A transfer that did not finish within an election timeout is abandoned.
      if (this.state === StateType.Leader && this.leadTransferee !== NONE) {
        this.abortLeaderTransfer();
      }
    }
    if (this.state !== StateType.Leader) return;
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.step(makeMessage({ type: MessageType.MsgBeat, from: this.id }));
    }
  }

  /** Become a follower of `lead` (or of nobody yet) in `term`. */
  becomeFollower(term: number, lead: number): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.state = StateType.Follower;
  }

  /** Start an election: bump the term and vote for ourselves. */
  becomeCandidate(): void {
    if (this.state === StateType.Leader)
      throw new Error("invalid transition [leader -> candidate]");
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.state = StateType.Candidate;
  }

  /** Start a pre-election. */
  becomePreCandidate(): void {
    if (this.state === StateType.Leader) {
      throw new Error("invalid transition [leader -> pre-candidate]");
    }
    // A pre-candidate changes neither term nor vote: losing the pre-vote
    // leaves the cluster exactly as it was.
    this.stepFn = stepCandidate;
    this.prs.resetVotes();
    this.tickFn = () => this.tickElection();
    this.lead = NONE;
    this.state = StateType.PreCandidate;
  }

  /** Take over as leader of the current term. */
  becomeLeader(): void {
    if (this.state === StateType.Follower)
      throw new Error("invalid transition [follower -> leader]");
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = () => this.tickHeartbeat();
    this.lead = this.id;
    this.state = StateType.Leader;
    this.prs.progress.get(this.id)?.becomeReplicate();
    // Conservatively treat any unapplied conf change in the log as pending.
    this.pendingConfIndex = this.raftLog.lastIndex();
    // An empty entry of our own term lets us commit everything before it.
    this.appendEntry([{ term: 0, index: 0, type: EntryType.Normal, data: new Uint8Array(0) }]);
  }

  /** Starts an election if this node may (it is a voter with no unapplied conf change). */
  hup(t: CampaignType): void {
    if (this.state === StateType.Leader) return;
    if (!this.promotable()) return;
    if (this.hasUnappliedConfChange()) return;
    this.campaign(t);
  }

  private hasUnappliedConfChange(): boolean {
    if (this.raftLog.committed <= this.raftLog.applied) return false;
    let ents: Entry[];
    try {
      ents = this.raftLog.slice(
        Math.max(this.raftLog.applied + 1, this.raftLog.firstIndex()),
        this.raftLog.committed + 1,
        Number.MAX_SAFE_INTEGER,
      );
    } catch (e) {
      if (isStorageError(e, "compacted")) return false;
      throw e;
    }
    return ents.some((e) => e.type === EntryType.ConfChange);
  }

  /** Runs a (pre-)election: become (pre-)candidate, vote for ourselves, ask the other voters. */
  campaign(t: CampaignType): void {
    if (!this.promotable()) return;
    let voteMsg: MessageType;
    let term: number;
    if (t === CampaignType.PreElection) {
      this.becomePreCandidate();
      voteMsg = MessageType.MsgPreVote;
      // Pre-votes are for the term we would campaign in.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = MessageType.MsgVote;
      term = this.term;
    }
    if (this.poll(this.id, true) === VoteResult.Won) {
      // A one-voter cluster wins at once.
      if (t === CampaignType.PreElection) this.campaign(CampaignType.Election);
      else this.becomeLeader();
      return;
    }
    const context = t === CampaignType.Transfer ? CAMPAIGN_TRANSFER_CONTEXT : new Uint8Array(0);
    for (const id of [...this.prs.voters].sort((a, b) => a - b)) {
      if (id === this.id) continue;
      this.send({
        to: id,
        type: voteMsg,
        term,
        index: this.raftLog.lastIndex(),
        logTerm: this.raftLog.lastTerm(),
        context,
      });
    }
  }

  /** Records a vote and returns the election's outcome so far. */
  poll(id: number, granted: boolean): VoteResult {
    this.prs.recordVote(id, granted);
    return this.prs.tallyVotes().result;
  }

  /**
   * Handles one message: first the term rules every role shares (newer
   * terms demote us, older ones are answered or dropped), then votes, then
   * the role's own step function. Throws ErrProposalDropped for refused proposals.
   */
  step(m: Message): void {
    if (m.term === 0) {
      // A local message.
    } else if (m.term > this.term) {
      if (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
        const force = bytesEqual(m.context, CAMPAIGN_TRANSFER_CONTEXT);
        const inLease =
          this.cfg.checkQuorum &&
          this.lead !== NONE &&
          this.electionElapsed < this.cfg.electionTick;
        // We heard from a live leader within the minimum election timeout:
        // ignore the vote so a partitioned node rejoining cannot depose it.
        if (!force && inLease) return;
      }
      if (m.type === MessageType.MsgPreVote) {
        // Never change our term for a pre-vote.
      } else if (m.type === MessageType.MsgPreVoteResp && !m.reject) {
        // We bump our term ourselves once a quorum grants the pre-vote; a
        // rejection with a higher term falls through and updates our term.
      } else if (
        m.type === MessageType.MsgApp ||
        m.type === MessageType.MsgHeartbeat ||
        m.type === MessageType.MsgSnap
      ) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if (
        (this.cfg.checkQuorum || this.cfg.preVote) &&
        (m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgApp)
      ) {
        // A stale leader (e.g. just out of a partition) would otherwise never
        // learn of the new term, and with CheckQuorum or PreVote nobody would
        // bump terms to tell it. This answer carries our term and deposes it.
        this.send({ to: m.from, type: MessageType.MsgAppResp });
      } else if (m.type === MessageType.MsgPreVote) {
        // Reject outright so the pre-candidate learns our newer term.
        this.send({ to: m.from, term: this.term, type: MessageType.MsgPreVoteResp, reject: true });
      }
      return;
    }

    switch (m.type) {
      case MessageType.MsgHup:
        this.hup(this.cfg.preVote ? CampaignType.PreElection : CampaignType.Election);
        return;
      case MessageType.MsgVote:
      case MessageType.MsgPreVote: {
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          // A pre-vote for a future term can be granted even if we voted in this one.
          (m.type === MessageType.MsgPreVote && m.term > this.term);
        if (canVote && this.raftLog.isUpToDate(m.index, m.logTerm)) {
          // Reply with the term of the request, not ours: for a pre-vote our
          // term is older, and the candidate must not mistake the grant for stale.
          this.send({ to: m.from, term: m.term, type: voteResponseType(m.type) });
          if (m.type === MessageType.MsgVote) {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.send({
            to: m.from,
            term: this.term,
            type: voteResponseType(m.type),
            reject: true,
          });
        }
        return;
      }
      default:
        this.stepFn(this, m);
    }
  }

  /** True if this node may become leader: a voter with no snapshot waiting to be persisted. */
  promotable(): boolean {
    const pr = this.prs.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasPendingSnapshot();
  }

  /** Applies a committed conf change; returns the new membership. */
  applyConfChange(cc: ConfChange): ConfState {
    applyConfChangeToTracker(this.prs, cc, this.raftLog.lastIndex());
    return this.switchToConfig();
  }

  private switchToConfig(): ConfState {
    const own = this.prs.progress.get(this.id);
    this.isLearner = own?.isLearner ?? false;
    if ((own === undefined || own.isLearner) && this.state === StateType.Leader) {
      // We were removed or demoted: stop leading. The remaining members
      // elect a leader among themselves after an election timeout.
      this.becomeFollower(this.term, NONE);
      return this.prs.confState();
    }
    if (this.state !== StateType.Leader || this.prs.voters.size === 0) {
      return this.prs.confState();
    }
    if (this.maybeCommit()) {
      // A smaller quorum may commit more at once.
      bcastAppend(this);
    } else {
      this.prs.visit((id) => {
        if (id !== this.id) maybeSendAppend(this, id, false);
      });
    }
    if (this.leadTransferee !== NONE && !this.prs.voters.has(this.leadTransferee)) {
      this.abortLeaderTransfer();
    }
    return this.prs.confState();
  }

  /** Called once the application has handled a Ready: moves the cursors. */
  advance(appliedIndex: number, stableEntry: Entry | undefined, snapshotIndex: number): void {
    if (snapshotIndex > 0) {
      this.raftLog.stableSnapTo(snapshotIndex);
      if (snapshotIndex > this.raftLog.applied) this.raftLog.applied = snapshotIndex;
    }
    if (appliedIndex > 0) this.raftLog.appliedTo(appliedIndex);
    if (stableEntry !== undefined) this.raftLog.stableTo(stableEntry.index, stableEntry.term);
  }

  /** True once this term's randomized election timeout has passed. */
  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  /** Draws a new election timeout from the injected random source. */
  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout =
      this.cfg.electionTick + this.random.intn(this.cfg.electionTick);
  }

  /** Tells the transferee to campaign at once. */
  sendTimeoutNow(to: number): void {
    this.send({ to, type: MessageType.MsgTimeoutNow });
  }

  /** Gives up a leader transfer in progress. */
  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
