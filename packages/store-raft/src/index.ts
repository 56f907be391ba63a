// The public API of @kubekit/store-raft: today, the pure Raft core.

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
