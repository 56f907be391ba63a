/** Why a {@link Storage} call could not answer. */
export type StorageErrorCode =
  | "compacted"
  | "unavailable"
  | "snapshot-out-of-date"
  | "snapshot-temporarily-unavailable";

/**
 * An expected condition reported by a {@link Storage}. The core compares
 * against the named constants below (like Go's sentinel errors), so a storage
 * must throw those very objects, or `StorageError`s with the same `code`.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The requested index is older than the storage's first index: it was compacted away. */
export const ErrCompacted = new StorageError("compacted", "storage: index was compacted away");
/** The requested index is newer than the storage's last index. */
export const ErrUnavailable = new StorageError(
  "unavailable",
  "storage: index is past the last entry",
);
/** The snapshot being applied or created is older than the one already held. */
export const ErrSnapOutOfDate = new StorageError(
  "snapshot-out-of-date",
  "storage: snapshot is older than the one held",
);
/** The storage is building a snapshot; the core will ask again later. */
export const ErrSnapshotTemporarilyUnavailable = new StorageError(
  "snapshot-temporarily-unavailable",
  "storage: snapshot not ready yet, retry later",
);

/** True if `e` is a {@link StorageError} with the given code. */
export function isStorageError(e: unknown, code: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && e.code === code;
}

/** Why the core refused a call from the application. */
export type RaftErrorCode = "proposal-dropped" | "step-local-msg" | "step-peer-not-found";

/** An application call the core refused; the application may retry elsewhere or later. */
export class RaftError extends Error {
  override readonly name = "RaftError";
  constructor(
    readonly code: RaftErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The proposal was not appended: no leader known, a transfer in progress, or not a member. */
export const ErrProposalDropped = new RaftError("proposal-dropped", "raft: proposal dropped");
/** A peer tried to step a message only a node may send itself. */
export const ErrStepLocalMsg = new RaftError(
  "step-local-msg",
  "raft: a local-only message cannot come from a peer",
);
/** A response came from a node that is not in the configuration. */
export const ErrStepPeerNotFound = new RaftError(
  "step-peer-not-found",
  "raft: response from a node outside the configuration",
);

/** True if `e` is a {@link RaftError} with the given code. */
export function isRaftError(e: unknown, code: RaftErrorCode): e is RaftError {
  return e instanceof RaftError && e.code === code;
}
