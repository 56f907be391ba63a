/**
 * A read or compaction asked for a revision that compaction has removed.
 * etcd's gRPC layer reports it as OutOfRange
 * "etcdserver: mvcc: required revision has been compacted".
 */
export class CompactedError extends Error {
  override readonly name = "CompactedError";
  constructor(readonly compactRevision: number) {
    super("mvcc: required revision has been compacted");
  }
}

/**
 * A read or compaction asked for a revision the store has not reached.
 * etcd reports it as OutOfRange "etcdserver: mvcc: required revision is a
 * future revision".
 */
export class FutureRevisionError extends Error {
  override readonly name = "FutureRevisionError";
  constructor(readonly currentRevision: number) {
    super("mvcc: required revision is a future revision");
  }
}
