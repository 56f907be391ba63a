import { ErrProposalDropped } from "./errors.js";
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from "./follower-handlers.js";
import { type Message, MessageType } from "./message.js";
import { VoteResult } from "./quorum.js";
import type { Raft } from "./raft.js";
import { CampaignType } from "./raft.js";
import { bcastAppend } from "./replication.js";
import { NONE, StateType } from "./types.js";

/** The (pre-)candidate's message handler. */
export function stepCandidate(r: Raft, m: Message): void {
  // Only answers to our own kind of election count; stale answers to an
  // earlier pre-vote or vote round are ignored.
  const myVoteResp =
    r.state === StateType.PreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
  switch (m.type) {
    case MessageType.MsgProp:
      throw ErrProposalDropped;
    case MessageType.MsgApp:
      // A leader of our term (or newer) exists.
      r.becomeFollower(m.term, m.from);
      handleAppendEntries(r, m);
      return;
    case MessageType.MsgHeartbeat:
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return;
    case MessageType.MsgSnap:
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return;
    case myVoteResp: {
      const result = r.poll(m.from, !m.reject);
      if (result === VoteResult.Won) {
        if (r.state === StateType.PreCandidate) {
          r.campaign(CampaignType.Election);
        } else {
          r.becomeLeader();
          bcastAppend(r);
        }
      } else if (result === VoteResult.Lost) {
        // A pre-vote rejection with a newer term already moved our term in step().
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
    default:
      return;
  }
}
