import { type Message, MessageType } from "./message.js";
import type { Raft } from "./raft.js";
import { ReadOnlyOption, readIndexContext } from "./read-only.js";
import { bcastHeartbeatWithCtx } from "./replication.js";
import { NONE } from "./types.js";

// The leader's side of ReadIndex: confirm leadership (safe) or trust the
// lease, then answer locally or with MsgReadIndexResp.

/** True once the leader has committed an entry of its own term (so its commit index is current). */
export function committedEntryInCurrentTerm(r: Raft): boolean {
  return r.raftLog.termOrUndefined(r.raftLog.committed) === r.term;
}

/**
 * The answer to a read-index request at `readIndex`: a local ReadState if
 * the request is ours, else a MsgReadIndexResp to the requester.
 */
export function respondToReadIndex(r: Raft, req: Message, readIndex: number): void {
  if (req.from === NONE || req.from === r.id) {
    r.readStates.push({ index: readIndex, requestCtx: readIndexContext(req) });
    return;
  }
  r.send({
    to: req.from,
    type: MessageType.MsgReadIndexResp,
    index: readIndex,
    entries: req.entries,
  });
}

/** Answers (lease) or queues (safe) a read-index request at the current commit index. */
export function sendReadIndexResponse(r: Raft, m: Message): void {
  if (r.readOnly.option === ReadOnlyOption.Safe) {
    const ctx = readIndexContext(m);
    r.readOnly.addRequest(r.raftLog.committed, m);
    // The leader acknowledges its own heartbeat round.
    r.readOnly.recvAck(r.id, ctx);
    bcastHeartbeatWithCtx(r, ctx);
    return;
  }
  respondToReadIndex(r, m, r.raftLog.committed);
}

/** Serves reads held back until the first commit of this term. */
export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0) return;
  if (!committedEntryInCurrentTerm(r)) return;
  const held = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of held) sendReadIndexResponse(r, m);
}
