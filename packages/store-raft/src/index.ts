/**
 * `@kubekit/store-raft`: a replicated, durable, etcd-compatible key-value
 * store. This entry point exports the embeddable store (`createStore`), its
 * etcd-semantics state machine, and the pure cores it is built from.
 *
 * @packageDocumentation
 */

export { Snapshotter } from "./durable/snapshotter.js";
export { Wal, WalCorruptError } from "./durable/wal.js";
// The key-value state machine, the store and its etcd API.
export * from "./kv/index.js";
export * from "./lease/index.js";
export * from "./mvcc/index.js";
// The Raft consensus core.
export { decodeConfChange, encodeConfChange } from "./raft/conf-change-codec.js";
export type { RaftConfig } from "./raft/config.js";
export {
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
} from "./raft/describe.js";
export type { RaftErrorCode, StorageErrorCode } from "./raft/errors.js";
export {
  ErrCompacted,
  ErrProposalDropped,
  ErrSnapOutOfDate,
  ErrSnapshotTemporarilyUnavailable,
  ErrStepLocalMsg,
  ErrStepPeerNotFound,
  ErrUnavailable,
  isRaftError,
  isStorageError,
  RaftError,
  StorageError,
} from "./raft/errors.js";
export { Inflights } from "./raft/inflights.js";
export { MemoryStorage } from "./raft/memory-storage.js";
export type { Message } from "./raft/message.js";
export { isLocalMessage, isResponseMessage, MessageType, makeMessage } from "./raft/message.js";
export { ProgressState } from "./raft/progress.js";
export { majorityCommitted, majorityVoteResult, VoteResult } from "./raft/quorum.js";
export type { RandomSource } from "./raft/random.js";
export { seededRandom } from "./raft/random.js";
export type { ProgressStatus, Ready, Status } from "./raft/rawnode.js";
export { RawNode, SnapshotStatus } from "./raft/rawnode.js";
export { ReadOnlyOption } from "./raft/read-only.js";
export type { InitialState, Storage } from "./raft/storage.js";
export type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  ReadState,
  Snapshot,
  SnapshotMetadata,
  SoftState,
} from "./raft/types.js";
export {
  ConfChangeType,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  EntryType,
  isEmptyHardState,
  isEmptySnapshot,
  NONE,
  StateType,
} from "./raft/types.js";
export type { StoreMember, StoreMemberOptions } from "./server/member.js";
export { startStoreMember } from "./server/member.js";
export { memberIdOf } from "./server/member-id.js";
export type { ClusterMember, RaftReplicatorOptions } from "./server/raft-replicator.js";
export { RaftReplicator } from "./server/raft-replicator.js";
export type { MemberInfo, RaftStatus, Replicator } from "./server/replicator.js";
export type { ListeningStore, Store, StoreOptions } from "./server/store.js";
export { createStore, DEFAULT_MAX_REQUEST_BYTES, STORE_VERSION } from "./server/store.js";
export * from "./watch/index.js";
