import { ErrProposalDropped } from "./errors.js";
import { type Message, MessageType } from "./message.js";
import { ProgressState } from "./progress.js";
import { majorityVoteResult, VoteResult } from "./quorum.js";
import type { Raft } from "./raft.js";
import {
  committedEntryInCurrentTerm,
  releasePendingReadIndexMessages,
  respondToReadIndex,
  sendReadIndexResponse,
} from "./read-index-handlers.js";
import { ReadOnlyOption } from "./read-only.js";
import { bcastAppend, bcastHeartbeat, maybeSendAppend, sendAppend } from "./replication.js";
import { EntryType, NONE } from "./types.js";

/** Most follow-up appends sent in one go after an acknowledgement. */
const MAX_APPENDS_PER_ACK = 1024;

/** The leader's message handler. */
export function stepLeader(r: Raft, m: Message): void {
  // First the messages that need no follower progress.
  switch (m.type) {
    case MessageType.MsgBeat:
      bcastHeartbeat(r);
      return;
    case MessageType.MsgCheckQuorum: {
      // The leader counts itself as active.
      const own = r.prs.progress.get(r.id);
      if (own !== undefined) own.recentActive = true;
      if (!r.prs.quorumActive()) {
        r.becomeFollower(r.term, NONE);
      }
      // Start a fresh observation window for everyone else.
      r.prs.visit((id, pr) => {
        if (id !== r.id) pr.recentActive = false;
      });
      return;
    }
    case MessageType.MsgProp:
      stepProposal(r, m);
      return;
    case MessageType.MsgReadIndex:
      stepReadIndex(r, m);
      return;
    default:
      break;
  }

  const pr = r.prs.progress.get(m.from);
  if (pr === undefined) return;
  switch (m.type) {
    case MessageType.MsgAppResp:
      pr.recentActive = true;
      if (m.reject) {
        // With a term hint, skip straight past the follower's mismatched term.
        const probeIndex =
          m.logTerm > 0 ? r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm) : m.rejectHint;
        if (pr.maybeDecrTo(m.index, probeIndex)) {
          if (pr.state === ProgressState.Replicate) pr.becomeProbe();
          sendAppend(r, m.from);
        }
        return;
      }
      {
        const wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.index)) return;
        if (pr.state === ProgressState.Probe) {
          pr.becomeReplicate();
        } else if (pr.state === ProgressState.Snapshot && pr.match >= pr.pendingSnapshot) {
          // The follower caught up past the snapshot: back to normal replication.
          pr.becomeProbe();
          pr.becomeReplicate();
        } else if (pr.state === ProgressState.Replicate) {
          pr.inflights.freeLE(m.index);
        }
        if (r.maybeCommit()) {
          releasePendingReadIndexMessages(r);
          bcastAppend(r);
        } else if (wasPaused) {
          // We held back while paused; the follower can take more now.
          sendAppend(r, m.from);
        }
        // Keep the pipe full up to the inflight limit.
        for (let i = 0; i < MAX_APPENDS_PER_ACK && maybeSendAppend(r, m.from, false); i++) {
          // each iteration sent one batch
        }
        if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) {
          r.sendTimeoutNow(m.from);
        }
      }
      return;
    case MessageType.MsgHeartbeatResp: {
      pr.recentActive = true;
      pr.probeSent = false;
      // A heartbeat answer shows the follower is alive and draining: free a slot.
      if (pr.state === ProgressState.Replicate && pr.inflights.full()) {
        pr.inflights.freeFirstOne();
      }
      if (pr.match < r.raftLog.lastIndex()) sendAppend(r, m.from);
      if (r.readOnly.option !== ReadOnlyOption.Safe || m.context.byteLength === 0) return;
      const acks = r.readOnly.recvAck(m.from, m.context);
      if (majorityVoteResult(r.prs.voters, acks) !== VoteResult.Won) return;
      for (const rs of r.readOnly.advance(m)) respondToReadIndex(r, rs.req, rs.index);
      return;
    }
    case MessageType.MsgSnapStatus:
      if (pr.state !== ProgressState.Snapshot) return;
      if (m.reject) pr.pendingSnapshot = 0;
      pr.becomeProbe();
      // Wait for the follower's MsgAppResp (or a heartbeat answer) before probing again.
      pr.probeSent = true;
      return;
    case MessageType.MsgUnreachable:
      // Appends were probably lost; go back to probing.
      if (pr.state === ProgressState.Replicate) pr.becomeProbe();
      return;
    case MessageType.MsgTransferLeader:
      stepTransferLeader(r, m);
      return;
    default:
      return;
  }
}

function stepProposal(r: Raft, m: Message): void {
  if (m.entries.length === 0) throw new Error("stepped an empty MsgProp");
  // Removed from the configuration, or handing leadership over: refuse.
  if (!r.prs.progress.has(r.id)) throw ErrProposalDropped;
  if (r.leadTransferee !== NONE) throw ErrProposalDropped;
  const entries = m.entries.map((e, i) => {
    if (e.type !== EntryType.ConfChange) return e;
    // One conf change at a time: a second one while the first is still
    // unapplied becomes an empty entry (it occupies its slot, changes nothing).
    if (r.pendingConfIndex > r.raftLog.applied) {
      return { ...e, type: EntryType.Normal, data: new Uint8Array(0) };
    }
    r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
    return e;
  });
  r.appendEntry(entries);
  bcastAppend(r);
}

function stepReadIndex(r: Raft, m: Message): void {
  if (r.prs.isSingleton()) {
    // Nobody else could be leader: answer at once.
    respondToReadIndex(r, m, r.raftLog.committed);
    return;
  }
  // Until we commit an entry of our own term, our commit index may be
  // behind the true one: hold the request until then.
  if (!committedEntryInCurrentTerm(r)) {
    r.pendingReadIndexMessages.push(m);
    return;
  }
  sendReadIndexResponse(r, m);
}

function stepTransferLeader(r: Raft, m: Message): void {
  const transferee = m.from;
  const pr = r.prs.progress.get(transferee);
  if (pr === undefined || pr.isLearner) return;
  if (r.leadTransferee !== NONE) {
    if (r.leadTransferee === transferee) return; // already under way
    r.abortLeaderTransfer();
  }
  if (transferee === r.id) return; // we already lead
  // The transfer must finish within one election timeout.
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.raftLog.lastIndex()) {
    r.sendTimeoutNow(transferee);
  } else {
    sendAppend(r, transferee);
  }
}
