import type { Entry, Snapshot } from "./types.js";

/** Every kind of message the core sends, receives, or feeds itself. */
export enum MessageType {
  /** Local: start an election (the election timer fired, or `campaign()`). */
  MsgHup = 0,
  /** Local: the leader's heartbeat timer fired. */
  MsgBeat = 1,
  /** A proposal of new entries (local, or forwarded to the leader). */
  MsgProp = 2,
  /** Leader → follower: entries to append after (index, logTerm). */
  MsgApp = 3,
  /** Follower → leader: the append was accepted (index = last index) or rejected (with hints). */
  MsgAppResp = 4,
  /** Candidate → all: vote for me in `term`. */
  MsgVote = 5,
  MsgVoteResp = 6,
  /** Pre-candidate → all: would you vote for me at `term` (without anyone changing term)? */
  MsgPreVote = 7,
  MsgPreVoteResp = 8,
  /** Leader → follower: I am alive; you may commit up to `commit`. */
  MsgHeartbeat = 9,
  MsgHeartbeatResp = 10,
  /** Leader → follower: install this snapshot. */
  MsgSnap = 11,
  /** Local: the transport reports whether a snapshot reached the peer (`reject` = failed). */
  MsgSnapStatus = 12,
  /** Local: the transport could not reach a peer. */
  MsgUnreachable = 13,
  /** Hand leadership to `from` (sent to or forwarded to the leader). */
  MsgTransferLeader = 14,
  /** Leader → transferee: campaign now, skipping the election timeout and pre-vote. */
  MsgTimeoutNow = 15,
  /** A linearizable read request; the context is `entries[0].data`. */
  MsgReadIndex = 16,
  /** Leader → requester: the read index for the context in `entries[0].data`. */
  MsgReadIndexResp = 17,
  /** Local: the leader's check that a quorum was heard from in the last election timeout. */
  MsgCheckQuorum = 18,
}

/**
 * One Raft message. Fields a kind does not use stay at their zero value, as
 * they would on the protobuf wire.
 */
export interface Message {
  readonly type: MessageType;
  readonly to: number;
  readonly from: number;
  readonly term: number;
  /** The term of the entry at `index` (MsgApp), or the candidate's last term (votes), or a rejection hint. */
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly snapshot?: Snapshot;
  readonly reject: boolean;
  readonly rejectHint: number;
  readonly context: Uint8Array;
}

const EMPTY_BYTES = new Uint8Array(0);

/** Builds a message with every field not given set to its zero value. */
export function makeMessage(fields: Partial<Message> & Pick<Message, "type">): Message {
  return {
    to: 0,
    from: 0,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: EMPTY_BYTES,
    ...fields,
  };
}

const LOCAL_TYPES = new Set([
  MessageType.MsgHup,
  MessageType.MsgBeat,
  MessageType.MsgUnreachable,
  MessageType.MsgSnapStatus,
  MessageType.MsgCheckQuorum,
]);

/** True for messages a node only ever sends itself; peers must not send them. */
export function isLocalMessage(t: MessageType): boolean {
  return LOCAL_TYPES.has(t);
}

const RESPONSE_TYPES = new Set([
  MessageType.MsgAppResp,
  MessageType.MsgVoteResp,
  MessageType.MsgHeartbeatResp,
  MessageType.MsgUnreachable,
  MessageType.MsgPreVoteResp,
]);

/** True for responses; a response from a node not in the configuration is ignored. */
export function isResponseMessage(t: MessageType): boolean {
  return RESPONSE_TYPES.has(t);
}

/** The response type that answers a (pre-)vote request. */
export function voteResponseType(t: MessageType): MessageType {
  if (t === MessageType.MsgVote) return MessageType.MsgVoteResp;
  if (t === MessageType.MsgPreVote) return MessageType.MsgPreVoteResp;
  throw new Error(`not a vote message: ${MessageType[t]}`);
}
