import { create } from "@bufbuild/protobuf";
import * as pb from "@kubekit/proto/raft";
import type { Message } from "../raft/message.js";
import { MessageType } from "../raft/message.js";
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Snapshot,
  SnapshotMetadata,
} from "../raft/types.js";
import { ConfChangeType, EntryType } from "../raft/types.js";

/**
 * Conversions between the Raft core's plain types and the `kubekit.raft.v1`
 * wire messages. The core uses numbers where the wire has uint64, and its
 * enums start at 0 where the wire reserves 0 for UNSPECIFIED, so every wire
 * enum value is the core's value + 1.
 */

/** A wire message that cannot be turned into a core value. */
export class WireFormatError extends Error {
  override readonly name = "WireFormatError";
}

const EMPTY = new Uint8Array(0);

function u64(n: number): bigint {
  return BigInt(n);
}

function num(field: string, v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new WireFormatError(`${field} ${v} is larger than 2^53-1`);
  }
  return Number(v);
}

function enumFromWire<T extends number>(
  field: string,
  wire: number,
  core: Record<number, string>,
): T {
  const v = wire - 1;
  if (wire === 0 || core[v] === undefined) {
    throw new WireFormatError(`${field}: unknown or unspecified value ${wire}`);
  }
  return v as T;
}

/** Core entry → wire entry. */
export function entryToWire(e: Entry): pb.Entry {
  return create(pb.EntrySchema, {
    term: u64(e.term),
    index: u64(e.index),
    type: (e.type + 1) as pb.EntryType,
    data: e.data,
  });
}

/** Wire entry → core entry. */
export function entryFromWire(e: pb.Entry): Entry {
  return {
    term: num("entry.term", e.term),
    index: num("entry.index", e.index),
    type: enumFromWire<EntryType>("entry.type", e.type, EntryType),
    data: e.data,
  };
}

/** Core hard state → wire. */
export function hardStateToWire(hs: HardState): pb.HardState {
  return create(pb.HardStateSchema, {
    term: u64(hs.term),
    vote: u64(hs.vote),
    commit: u64(hs.commit),
  });
}

/** Wire hard state → core. */
export function hardStateFromWire(hs: pb.HardState): HardState {
  return {
    term: num("hardState.term", hs.term),
    vote: num("hardState.vote", hs.vote),
    commit: num("hardState.commit", hs.commit),
  };
}

/** Core membership → wire. */
export function confStateToWire(cs: ConfState): pb.ConfState {
  return create(pb.ConfStateSchema, {
    voters: cs.voters.map(u64),
    learners: cs.learners.map(u64),
  });
}

/** Wire membership → core. */
export function confStateFromWire(cs: pb.ConfState | undefined): ConfState {
  return {
    voters: (cs?.voters ?? []).map((v) => num("confState.voters", v)),
    learners: (cs?.learners ?? []).map((v) => num("confState.learners", v)),
  };
}

/** Core snapshot metadata → wire. */
export function snapshotMetadataToWire(md: SnapshotMetadata): pb.SnapshotMetadata {
  return create(pb.SnapshotMetadataSchema, {
    index: u64(md.index),
    term: u64(md.term),
    confState: confStateToWire(md.confState),
  });
}

/** Wire snapshot metadata → core. */
export function snapshotMetadataFromWire(md: pb.SnapshotMetadata): SnapshotMetadata {
  return {
    index: num("snapshot.index", md.index),
    term: num("snapshot.term", md.term),
    confState: confStateFromWire(md.confState),
  };
}

/** Core conf change → wire. */
export function confChangeToWire(cc: ConfChange): pb.ConfChange {
  return create(pb.ConfChangeSchema, {
    type: (cc.type + 1) as pb.ConfChange_Type,
    nodeId: u64(cc.nodeId),
    context: cc.context ?? EMPTY,
  });
}

/** Wire conf change → core. */
export function confChangeFromWire(cc: pb.ConfChange): ConfChange {
  return {
    type: enumFromWire<ConfChangeType>("confChange.type", cc.type, ConfChangeType),
    nodeId: num("confChange.nodeId", cc.nodeId),
    context: cc.context,
  };
}

/**
 * Core message → wire message. A MsgSnap's data is not included: it travels
 * in the chunks of `RaftService.SendSnapshot`, after this message as header.
 */
export function messageToWire(m: Message): pb.Message {
  return create(pb.MessageSchema, {
    type: (m.type + 1) as pb.MessageType,
    to: u64(m.to),
    from: u64(m.from),
    term: u64(m.term),
    logTerm: u64(m.logTerm),
    index: u64(m.index),
    entries: m.entries.map(entryToWire),
    commit: u64(m.commit),
    ...(m.snapshot !== undefined ? { snapshot: snapshotMetadataToWire(m.snapshot.metadata) } : {}),
    reject: m.reject,
    rejectHint: u64(m.rejectHint),
    context: m.context,
  });
}

/**
 * Wire message → core message. For a MsgSnap, pass the reassembled
 * snapshot data; throws {@link WireFormatError} on values the core cannot hold.
 */
export function messageFromWire(m: pb.Message, snapshotData: Uint8Array = EMPTY): Message {
  let snapshot: Snapshot | undefined;
  if (m.snapshot !== undefined) {
    snapshot = { metadata: snapshotMetadataFromWire(m.snapshot), data: snapshotData };
  }
  return {
    type: enumFromWire<MessageType>("message.type", m.type, MessageType),
    to: num("message.to", m.to),
    from: num("message.from", m.from),
    term: num("message.term", m.term),
    logTerm: num("message.logTerm", m.logTerm),
    index: num("message.index", m.index),
    entries: m.entries.map(entryFromWire),
    commit: num("message.commit", m.commit),
    ...(snapshot !== undefined ? { snapshot } : {}),
    reject: m.reject,
    rejectHint: num("message.rejectHint", m.rejectHint),
    context: m.context,
  };
}
