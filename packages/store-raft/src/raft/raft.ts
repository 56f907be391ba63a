import { applyConfChangeToTracker, restoreTracker } from "./apply-conf-change.js";
import { type RaftConfig, type ResolvedRaftConfig, resolveConfig } from "./config.js";
import { isStorageError } from "./errors.js";
import { RaftLog } from "./log.js";
import { type Message, MessageType, makeMessage, voteResponseType } from "./message.js";
import { ProgressState } from "./progress.js";
import { VoteResult } from "./quorum.js";
import type { RandomSource } from "./random.js";
import { ReadOnly, ReadOnlyOption, readIndexContext } from "./read-only.js";
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
  type Snapshot,
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
  readonly id: number;
  term = 0;
  vote = NONE;
  readStates: ReadState[] = [];
  readonly raftLog: RaftLog;
  prs: ProgressTracker;
  state: StateType = StateType.Follower;
  /** True if this node is a learner in the current configuration. */
  isLearner = false;
  /** Messages to send, drained by each Ready. */
  msgs: Message[] = [];
  lead = NONE;
  /** The node leadership is being handed to, if any. */
  leadTransferee = NONE;
  /**
   * Only one conf change may be in the log and unapplied at a time; this is
   * the index of the latest one (or the leader's term-start index).
   */
  pendingConfIndex = 0;
  readOnly: ReadOnly;
  /** Read requests held until the leader has committed an entry of its own term. */
  pendingReadIndexMessages: Message[] = [];
  /** Ticks since the last election timeout (followers, candidates) or since it was reset (leaders). */
  electionElapsed = 0;
  /** Ticks since the last heartbeat (leaders only). */
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  readonly cfg: ResolvedRaftConfig;
  private readonly random: RandomSource;
  tickFn: () => void = () => this.tickElection();
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

  /** Sends an append (or a snapshot) to `to`, even an empty one. */
  sendAppend(to: number): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends the next batch of entries to `to` if its progress allows; sends a
   * snapshot instead if the entries it needs were compacted away. Returns
   * true if a message was sent.
   */
  maybeSendAppend(to: number, sendIfEmpty: boolean): boolean {
    const pr = this.prs.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.raftLog.termOrUndefined(prevIndex);
    let ents: Entry[] | undefined;
    try {
      ents = this.raftLog.entries(pr.next, this.cfg.maxSizePerMsg);
    } catch (e) {
      // Compacted away: the follower needs a snapshot. Anything else is fatal.
      if (!isStorageError(e, "compacted") && !isStorageError(e, "unavailable")) throw e;
      ents = undefined;
    }
    if (ents !== undefined && ents.length === 0 && !sendIfEmpty) return false;

    if (prevTerm === undefined || ents === undefined) {
      return this.maybeSendSnapshot(to);
    }
    const last = ents[ents.length - 1];
    if (last !== undefined) {
      if (pr.state === ProgressState.Replicate) {
        pr.optimisticUpdate(last.index);
        let bytes = 0;
        for (const e of ents) bytes += e.data.byteLength;
        pr.inflights.add(last.index, bytes);
      }
    }
    if (pr.state === ProgressState.Probe) pr.probeSent = true;
    this.send({
      to,
      type: MessageType.MsgApp,
      index: prevIndex,
      logTerm: prevTerm,
      entries: ents,
      commit: this.raftLog.committed,
    });
    return true;
  }

  private maybeSendSnapshot(to: number): boolean {
    const pr = this.prs.progress.get(to);
    if (pr === undefined) return false;
    // Only send a (large) snapshot to a follower known to be alive.
    if (!pr.recentActive) return false;
    let snapshot: ReturnType<RaftLog["snapshot"]>;
    try {
      snapshot = this.raftLog.snapshot();
    } catch (e) {
      // Still being made: try again on the next heartbeat response.
      if (isStorageError(e, "snapshot-temporarily-unavailable")) return false;
      throw e;
    }
    if (snapshot.metadata.index === 0) throw new Error("need a non-empty snapshot to send");
    pr.becomeSnapshot(snapshot.metadata.index);
    this.send({ to, type: MessageType.MsgSnap, snapshot });
    return true;
  }

  /** Sends a heartbeat, never telling a follower to commit past what it is known to hold. */
  sendHeartbeat(to: number, context: Uint8Array): void {
    const pr = this.prs.progress.get(to);
    const commit = Math.min(pr?.match ?? 0, this.raftLog.committed);
    this.send({ to, type: MessageType.MsgHeartbeat, commit, context });
  }

  /** Sends appends to every other member. */
  bcastAppend(): void {
    this.prs.visit((id) => {
      if (id !== this.id) this.sendAppend(id);
    });
  }

  /** Sends heartbeats to every other member, carrying the newest pending read's context. */
  bcastHeartbeat(): void {
    this.bcastHeartbeatWithCtx(this.readOnly.lastPendingRequestCtx());
  }

  bcastHeartbeatWithCtx(ctx: Uint8Array): void {
    this.prs.visit((id) => {
      if (id !== this.id) this.sendHeartbeat(id, ctx);
    });
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

  becomeFollower(term: number, lead: number): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.state = StateType.Follower;
  }

  becomeCandidate(): void {
    if (this.state === StateType.Leader)
      throw new Error("invalid transition [leader -> candidate]");
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.state = StateType.Candidate;
  }

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

  /** Follower side of MsgApp: append if our log matches, otherwise reject with a hint. */
  handleAppendEntries(m: Message): void {
    if (m.index < this.raftLog.committed) {
      this.send({ to: m.from, type: MessageType.MsgAppResp, index: this.raftLog.committed });
      return;
    }
    const lastNew = this.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.send({ to: m.from, type: MessageType.MsgAppResp, index: lastNew });
      return;
    }
    // Point the leader at the last index whose term is <= the one it sent,
    // so it can skip a whole mismatched term in one round trip.
    const hintIndex = this.raftLog.findConflictByTerm(
      Math.min(m.index, this.raftLog.lastIndex()),
      m.logTerm,
    );
    const hintTerm = this.raftLog.termOrUndefined(hintIndex) ?? 0;
    this.send({
      to: m.from,
      type: MessageType.MsgAppResp,
      index: m.index,
      reject: true,
      rejectHint: hintIndex,
      logTerm: hintTerm,
    });
  }

  /** Follower side of MsgHeartbeat: commit what the leader says we hold. */
  handleHeartbeat(m: Message): void {
    this.raftLog.commitTo(m.commit);
    this.send({ to: m.from, type: MessageType.MsgHeartbeatResp, context: m.context });
  }

  /** Follower side of MsgSnap: install it if it is news, then report our last index. */
  handleSnapshot(m: Message): void {
    if (m.snapshot !== undefined && this.restore(m.snapshot)) {
      this.send({ to: m.from, type: MessageType.MsgAppResp, index: this.raftLog.lastIndex() });
    } else {
      this.send({ to: m.from, type: MessageType.MsgAppResp, index: this.raftLog.committed });
    }
  }

  /** Installs a snapshot from the leader; false if it brought nothing new. */
  restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.raftLog.committed) return false;
    if (this.state !== StateType.Follower) return false;
    const cs = s.metadata.confState;
    if (!cs.voters.includes(this.id) && !cs.learners.includes(this.id)) {
      // A snapshot of a configuration we are not part of: ignore it.
      return false;
    }
    if (this.raftLog.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already hold the snapshot's last entry: just fast-forward the commit.
      this.raftLog.commitTo(s.metadata.index);
      return false;
    }
    this.raftLog.restore(s);
    this.prs = new ProgressTracker(this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
    restoreTracker(this.prs, cs, this.raftLog.lastIndex());
    this.isLearner = this.prs.learners.has(this.id);
    const own = this.prs.progress.get(this.id);
    if (own !== undefined) own.match = this.raftLog.lastIndex();
    return true;
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
      this.bcastAppend();
    } else {
      this.prs.visit((id) => {
        if (id !== this.id) this.maybeSendAppend(id, false);
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

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout =
      this.cfg.electionTick + this.random.intn(this.cfg.electionTick);
  }

  sendTimeoutNow(to: number): void {
    this.send({ to, type: MessageType.MsgTimeoutNow });
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  /** True once the leader has committed an entry of its own term (so its commit index is current). */
  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.termOrUndefined(this.raftLog.committed) === this.term;
  }

  /**
   * The answer to a read-index request at `readIndex`: a local ReadState if
   * the request is ours, else a MsgReadIndexResp to the requester.
   */
  respondToReadIndex(req: Message, readIndex: number): void {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index: readIndex, requestCtx: readIndexContext(req) });
      return;
    }
    this.send({
      to: req.from,
      type: MessageType.MsgReadIndexResp,
      index: readIndex,
      entries: req.entries,
    });
  }

  /** Answers (lease) or queues (safe) a read-index request at the current commit index. */
  sendReadIndexResponse(m: Message): void {
    if (this.readOnly.option === ReadOnlyOption.Safe) {
      const ctx = readIndexContext(m);
      this.readOnly.addRequest(this.raftLog.committed, m);
      // The leader acknowledges its own heartbeat round.
      this.readOnly.recvAck(this.id, ctx);
      this.bcastHeartbeatWithCtx(ctx);
      return;
    }
    this.respondToReadIndex(m, this.raftLog.committed);
  }

  /** Serves reads held back until the first commit of this term. */
  releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0) return;
    if (!this.committedEntryInCurrentTerm()) return;
    const held = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of held) this.sendReadIndexResponse(m);
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
