import { ErrProposalDropped } from "./errors.js";
import { handleAppendEntries, handleHeartbeat, handleSnapshot } from "./follower-handlers.js";
import { type Message, MessageType } from "./message.js";
import type { Raft } from "./raft.js";
import { CampaignType } from "./raft.js";
import { NONE } from "./types.js";

/** The follower's message handler. */
export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgProp:
      if (r.lead === NONE || r.cfg.disableProposalForwarding) throw ErrProposalDropped;
      r.send({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.MsgApp:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppendEntries(r, m);
      return;
    case MessageType.MsgHeartbeat:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return;
    case MessageType.MsgSnap:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return;
    case MessageType.MsgTransferLeader:
      // Forward to the leader; the transferee is in `from`, so keep it.
      if (r.lead === NONE) return;
      r.msgs.push({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.MsgTimeoutNow:
      // The leader wants us to take over: campaign at once, skipping pre-vote
      // and the voters' leader lease.
      r.hup(CampaignType.Transfer);
      return;
    case MessageType.MsgReadIndex:
      if (r.lead === NONE) return;
      r.send({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.MsgReadIndexResp: {
      const ctx = m.entries[0]?.data;
      if (m.entries.length !== 1 || ctx === undefined) return;
      r.readStates.push({ index: m.index, requestCtx: ctx });
      return;
    }
    default:
      return;
  }
}
