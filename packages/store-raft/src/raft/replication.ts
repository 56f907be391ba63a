import { isStorageError } from "./errors.js";
import type { RaftLog } from "./log.js";
import { MessageType } from "./message.js";
import { ProgressState } from "./progress.js";
import type { Raft } from "./raft.js";
import type { Entry } from "./types.js";

// How a leader ships its log: appends (batched, flow-controlled), snapshots
// for followers behind the compaction point, and heartbeats.

/** Sends an append (or a snapshot) to `to`, even an empty one. */
export function sendAppend(r: Raft, to: number): void {
  maybeSendAppend(r, to, true);
}

/**
 * Sends the next batch of entries to `to` if its progress allows; sends a
 * snapshot instead if the entries it needs were compacted away. Returns
 * true if a message was sent.
 */
export function maybeSendAppend(r: Raft, to: number, sendIfEmpty: boolean): boolean {
  const pr = r.prs.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const prevIndex = pr.next - 1;
  const prevTerm = r.raftLog.termOrUndefined(prevIndex);
  let ents: Entry[] | undefined;
  try {
    ents = r.raftLog.entries(pr.next, r.cfg.maxSizePerMsg);
  } catch (e) {
    // Compacted away: the follower needs a snapshot. Anything else is fatal.
    if (!isStorageError(e, "compacted") && !isStorageError(e, "unavailable")) throw e;
    ents = undefined;
  }
  if (ents !== undefined && ents.length === 0 && !sendIfEmpty) return false;

  if (prevTerm === undefined || ents === undefined) {
    return maybeSendSnapshot(r, to);
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
  r.send({
    to,
    type: MessageType.MsgApp,
    index: prevIndex,
    logTerm: prevTerm,
    entries: ents,
    commit: r.raftLog.committed,
  });
  return true;
}

/** Sends the latest snapshot to a live follower whose entries were compacted away. */
export function maybeSendSnapshot(r: Raft, to: number): boolean {
  const pr = r.prs.progress.get(to);
  if (pr === undefined) return false;
  // Only send a (large) snapshot to a follower known to be alive.
  if (!pr.recentActive) return false;
  let snapshot: ReturnType<RaftLog["snapshot"]>;
  try {
    snapshot = r.raftLog.snapshot();
  } catch (e) {
    // Still being made: try again on the next heartbeat response.
    if (isStorageError(e, "snapshot-temporarily-unavailable")) return false;
    throw e;
  }
  if (snapshot.metadata.index === 0) throw new Error("need a non-empty snapshot to send");
  pr.becomeSnapshot(snapshot.metadata.index);
  r.send({ to, type: MessageType.MsgSnap, snapshot });
  return true;
}

/** Sends a heartbeat, never telling a follower to commit past what it is known to hold. */
export function sendHeartbeat(r: Raft, to: number, context: Uint8Array): void {
  const pr = r.prs.progress.get(to);
  const commit = Math.min(pr?.match ?? 0, r.raftLog.committed);
  r.send({ to, type: MessageType.MsgHeartbeat, commit, context });
}

/** Sends appends to every other member. */
export function bcastAppend(r: Raft): void {
  r.prs.visit((id) => {
    if (id !== r.id) sendAppend(r, id);
  });
}

/** Sends heartbeats to every other member, carrying the newest pending read's context. */
export function bcastHeartbeat(r: Raft): void {
  bcastHeartbeatWithCtx(r, r.readOnly.lastPendingRequestCtx());
}

/** Sends heartbeats carrying `ctx` (a read request's context) to every other member. */
export function bcastHeartbeatWithCtx(r: Raft, ctx: Uint8Array): void {
  r.prs.visit((id) => {
    if (id !== r.id) sendHeartbeat(r, id, ctx);
  });
}
