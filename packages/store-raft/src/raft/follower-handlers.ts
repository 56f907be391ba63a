import { restoreTracker } from "./apply-conf-change.js";
import { type Message, MessageType } from "./message.js";
import type { Raft } from "./raft.js";
import { ProgressTracker } from "./tracker.js";
import { type Snapshot, StateType } from "./types.js";

// What a follower does with the leader's MsgApp, MsgHeartbeat and MsgSnap.

/** Follower side of MsgApp: append if our log matches, otherwise reject with a hint. */
export function handleAppendEntries(r: Raft, m: Message): void {
  if (m.index < r.raftLog.committed) {
    r.send({ to: m.from, type: MessageType.MsgAppResp, index: r.raftLog.committed });
    return;
  }
  const lastNew = r.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew !== undefined) {
    r.send({ to: m.from, type: MessageType.MsgAppResp, index: lastNew });
    return;
  }
  // Point the leader at the last index whose term is <= the one it sent,
  // so it can skip a whole mismatched term in one round trip.
  const hintIndex = r.raftLog.findConflictByTerm(
    Math.min(m.index, r.raftLog.lastIndex()),
    m.logTerm,
  );
  const hintTerm = r.raftLog.termOrUndefined(hintIndex) ?? 0;
  r.send({
    to: m.from,
    type: MessageType.MsgAppResp,
    index: m.index,
    reject: true,
    rejectHint: hintIndex,
    logTerm: hintTerm,
  });
}

/** Follower side of MsgHeartbeat: commit what the leader says we hold. */
export function handleHeartbeat(r: Raft, m: Message): void {
  r.raftLog.commitTo(m.commit);
  r.send({ to: m.from, type: MessageType.MsgHeartbeatResp, context: m.context });
}

/** Follower side of MsgSnap: install it if it is news, then report our last index. */
export function handleSnapshot(r: Raft, m: Message): void {
  if (m.snapshot !== undefined && restore(r, m.snapshot)) {
    r.send({ to: m.from, type: MessageType.MsgAppResp, index: r.raftLog.lastIndex() });
  } else {
    r.send({ to: m.from, type: MessageType.MsgAppResp, index: r.raftLog.committed });
  }
}

/** Installs a snapshot from the leader; false if it brought nothing new. */
export function restore(r: Raft, s: Snapshot): boolean {
  if (s.metadata.index <= r.raftLog.committed) return false;
  if (r.state !== StateType.Follower) return false;
  const cs = s.metadata.confState;
  if (!cs.voters.includes(r.id) && !cs.learners.includes(r.id)) {
    // A snapshot of a configuration we are not part of: ignore it.
    return false;
  }
  if (r.raftLog.matchTerm(s.metadata.index, s.metadata.term)) {
    // We already hold the snapshot's last entry: just fast-forward the commit.
    r.raftLog.commitTo(s.metadata.index);
    return false;
  }
  r.raftLog.restore(s);
  r.prs = new ProgressTracker(r.cfg.maxInflightMsgs, r.cfg.maxInflightBytes);
  restoreTracker(r.prs, cs, r.raftLog.lastIndex());
  r.isLearner = r.prs.learners.has(r.id);
  const own = r.prs.progress.get(r.id);
  if (own !== undefined) own.match = r.raftLog.lastIndex();
  return true;
}
