/**
 * One version of a key, as etcd's mvccpb.KeyValue describes it. Revisions
 * are numbers: a store would need 2^53 writes to overflow them.
 */
export interface KeyValue {
  readonly key: Uint8Array;
  /** The revision of the write that created the key's current generation. */
  readonly createRevision: number;
  /** The revision of the write that made this version. */
  readonly modRevision: number;
  /** How many times the key was written since its creation (1 after create). */
  readonly version: number;
  readonly value: Uint8Array;
  /** The lease the key is attached to, or 0. */
  readonly lease: bigint;
}

/** A change to one key, as a watcher sees it. */
export interface MvccEvent {
  readonly type: "put" | "delete";
  /**
   * The new version for a put; for a delete, the key with only `key` and
   * `modRevision` (the deleting revision) set, as etcd sends it.
   */
  readonly kv: KeyValue;
  /** The version before the change, when there was a live one. */
  readonly prevKv?: KeyValue;
}

/** What to sort a range result by (etcd's RangeRequest.SortTarget). */
export type SortTarget = "key" | "version" | "create" | "mod" | "value";
/** The sort order of a range result (etcd's RangeRequest.SortOrder). */
export type SortOrder = "none" | "ascend" | "descend";

/** The options of a range read, with etcd's semantics. */
export interface RangeOptions {
  /** Read at this revision; 0 or absent reads the current revision. */
  readonly revision?: number;
  /** At most this many keys; 0 or absent is no limit. */
  readonly limit?: number;
  readonly keysOnly?: boolean;
  readonly countOnly?: boolean;
  readonly sortOrder?: SortOrder;
  readonly sortTarget?: SortTarget;
  readonly minModRevision?: number;
  readonly maxModRevision?: number;
  readonly minCreateRevision?: number;
  readonly maxCreateRevision?: number;
}

/** The result of a range read. */
export interface RangeResult {
  readonly kvs: KeyValue[];
  /** How many keys the range holds at the read revision, before limit and filters. */
  readonly count: number;
  /** Whether keys were left out because of the limit. */
  readonly more: boolean;
  /** The store's current revision when the read ran. */
  readonly revision: number;
}
