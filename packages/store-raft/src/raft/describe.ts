import { decodeConfChange } from "./conf-change-codec.js";
import { type Message, MessageType } from "./message.js";
import { ProgressState } from "./progress.js";
import type { Ready } from "./rawnode.js";
import {
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type Snapshot,
  StateType,
} from "./types.js";

/** Renders bytes as text if printable, else as hex. */
export function describeBytes(b: Uint8Array): string {
  const text = Buffer.from(b).toString("utf8");
  return /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${Buffer.from(b).toString("hex")}`;
}

/** A conf change as text, e.g. `add-voter 4`. */
export function describeConfChangeData(data: Uint8Array): string {
  try {
    const cc = decodeConfChange(data);
    const kind =
      cc.type === ConfChangeType.AddNode
        ? "add-voter"
        : cc.type === ConfChangeType.AddLearnerNode
          ? "add-learner"
          : "remove";
    return `${kind} ${cc.nodeId}`;
  } catch {
    return `<bad conf change ${describeBytes(data)}>`;
  }
}

/** An entry as `term/index kind payload`, e.g. `1/3 "foo"` or `2/5 conf(add-voter 4)`. */
export function describeEntry(e: Entry): string {
  if (e.type === EntryType.ConfChange)
    return `${e.term}/${e.index} conf(${describeConfChangeData(e.data)})`;
  if (e.data.byteLength === 0) return `${e.term}/${e.index} empty`;
  return `${e.term}/${e.index} ${describeBytes(e.data)}`;
}

/** Entries in brackets. */
export function describeEntries(ents: readonly Entry[]): string {
  return `[${ents.map(describeEntry).join(", ")}]`;
}

/** A membership as `voters=(1 2 3) learners=(4)`. */
export function describeConfState(cs: ConfState): string {
  const learners = cs.learners.length > 0 ? ` learners=(${cs.learners.join(" ")})` : "";
  return `voters=(${cs.voters.join(" ")})${learners}`;
}

/** A snapshot's metadata. */
export function describeSnapshot(s: Snapshot): string {
  return `snap{index:${s.metadata.index} term:${s.metadata.term} ${describeConfState(s.metadata.confState)}}`;
}

/** A hard state as `term:2 vote:1 commit:5`. */
export function describeHardState(hs: HardState): string {
  return `term:${hs.term} vote:${hs.vote} commit:${hs.commit}`;
}

/** A role's name. */
export function describeState(s: StateType): string {
  return StateType[s];
}

/** A progress state's name. */
export function describeProgressState(s: ProgressState): string {
  return ProgressState[s];
}

/**
 * One message on one line, showing only the fields its kind uses, e.g.
 * `1->2 MsgApp term:1 log:1/3 commit:3 entries:[1/4 "foo"]`.
 */
export function describeMessage(m: Message): string {
  const parts = [`${m.from}->${m.to}`, MessageType[m.type], `term:${m.term}`];
  switch (m.type) {
    case MessageType.MsgApp:
      parts.push(`log:${m.logTerm}/${m.index}`, `commit:${m.commit}`);
      if (m.entries.length > 0) parts.push(`entries:${describeEntries(m.entries)}`);
      break;
    case MessageType.MsgAppResp:
      parts.push(`index:${m.index}`);
      if (m.reject) parts.push(`rejected hint:${m.logTerm}/${m.rejectHint}`);
      break;
    case MessageType.MsgVote:
    case MessageType.MsgPreVote:
      parts.push(`log:${m.logTerm}/${m.index}`);
      if (m.context.byteLength > 0) parts.push("transfer");
      break;
    case MessageType.MsgVoteResp:
    case MessageType.MsgPreVoteResp:
      if (m.reject) parts.push("rejected");
      break;
    case MessageType.MsgHeartbeat:
      parts.push(`commit:${m.commit}`);
      if (m.context.byteLength > 0) parts.push(`ctx:${describeBytes(m.context)}`);
      break;
    case MessageType.MsgHeartbeatResp:
      if (m.context.byteLength > 0) parts.push(`ctx:${describeBytes(m.context)}`);
      break;
    case MessageType.MsgSnap:
      if (m.snapshot !== undefined) parts.push(describeSnapshot(m.snapshot));
      break;
    case MessageType.MsgProp:
      parts.push(`entries:${describeEntries(m.entries)}`);
      break;
    case MessageType.MsgReadIndex:
    case MessageType.MsgReadIndexResp:
      if (m.type === MessageType.MsgReadIndexResp) parts.push(`index:${m.index}`);
      parts.push(`ctx:${describeBytes(m.entries[0]?.data ?? new Uint8Array(0))}`);
      break;
    default:
      if (m.reject) parts.push("rejected");
  }
  return parts.join(" ");
}

/** A Ready as indented lines (empty parts left out), for logs and tests. */
export function describeReady(rd: Ready): string[] {
  const lines: string[] = [];
  if (rd.softState !== undefined) {
    lines.push(`State:${describeState(rd.softState.raftState)} lead:${rd.softState.lead}`);
  }
  if (rd.hardState !== undefined) lines.push(`HardState ${describeHardState(rd.hardState)}`);
  if (rd.snapshot !== undefined) lines.push(`Snapshot ${describeSnapshot(rd.snapshot)}`);
  if (rd.entries.length > 0) {
    lines.push("Entries:");
    for (const e of rd.entries) lines.push(`  ${describeEntry(e)}`);
  }
  if (rd.committedEntries.length > 0) {
    lines.push("CommittedEntries:");
    for (const e of rd.committedEntries) lines.push(`  ${describeEntry(e)}`);
  }
  if (rd.readStates.length > 0) {
    lines.push("ReadStates:");
    for (const rs of rd.readStates)
      lines.push(`  index:${rs.index} ctx:${describeBytes(rs.requestCtx)}`);
  }
  if (rd.messages.length > 0) {
    lines.push("Messages:");
    for (const m of rd.messages) lines.push(`  ${describeMessage(m)}`);
  }
  return lines;
}
