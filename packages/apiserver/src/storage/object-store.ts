import { type Client, Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  Compare_CompareResult,
  Compare_CompareTarget,
  type KeyValue,
  KV,
  type ResponseOp,
} from "@kubekit/proto/etcd";
import type { KubeObject } from "../types/object.js";
import { bytesText, keyBytes, prefixRangeEnd } from "./etcd-keys.js";

/** Why a storage operation did not happen; the HTTP layer turns these into Status. */
export type StorageFailure =
  | { reason: "not-found" }
  | { reason: "already-exists" }
  /** The stored object's resourceVersion is not the one the write was based on. */
  | { reason: "conflict"; current: KubeObject }
  /** The asked-for revision has been compacted away. */
  | { reason: "expired"; compactRevision?: string }
  /** The request itself is bad (e.g. a revision from the future). */
  | { reason: "bad-request"; message: string }
  /** A create's guard key was no longer at the expected resourceVersion (see {@link CreateGuard}). */
  | { reason: "guard-moved" };

/**
 * Another key that must still be at `resourceVersion` for a create to
 * happen, checked in the same transaction: a namespaced create is guarded
 * by its Namespace, so a namespace remembered from an earlier request is
 * as good as one read just now.
 */
export interface CreateGuard {
  key: string;
  resourceVersion: string;
}

/** A storage result: a value, or why there is none. */
export type StorageResult<T> = { ok: true; value: T } | ({ ok: false } & StorageFailure);

/** One page of a list, read at one revision. */
export interface ListPage {
  /** The objects of this page, each with its resourceVersion. */
  items: KubeObject[];
  /** The storage key of each item, in the same order. */
  keys: string[];
  /** The store revision the page was read at. */
  revision: string;
  /** The key after the last returned one when more keys follow, for a continue token. */
  nextKey?: string;
  /** How many keys in the range follow this page (before any filtering). */
  remaining?: number;
}

/** What {@link ObjectStore.list} reads. */
export interface ListRequest {
  /** Key prefix, ending in `/`. */
  prefix: string;
  /** First key to read (inclusive); the prefix itself when absent. */
  startKey?: string;
  /** Most keys to read; all when absent or 0. */
  limit?: number;
  /** Revision to read at; the newest when absent or 0. */
  revision?: number;
}

/**
 * Kubernetes objects kept as JSON in an etcd v3 keyspace, one object per
 * key. An object's resourceVersion is its key's mod_revision, so it is
 * never stored inside the value; writes compare mod_revision to refuse
 * stale updates, as upstream's etcd3 store does.
 */
export interface ObjectStore {
  /**
   * Stores a new object; AlreadyExists when the key is taken, GuardMoved
   * when a `guard` is given and its key moved on (whether or not the key is taken).
   */
  create(key: string, obj: KubeObject, guard?: CreateGuard): Promise<StorageResult<KubeObject>>;
  /** Reads one object with its resourceVersion. */
  get(key: string): Promise<StorageResult<KubeObject>>;
  /** Reads a page of keys under a prefix at one revision. */
  list(request: ListRequest): Promise<StorageResult<ListPage>>;
  /**
   * Replaces an object if it is still at `resourceVersion`; Conflict (with
   * the current object) when it moved on, NotFound when it is gone.
   */
  update(key: string, obj: KubeObject, resourceVersion: string): Promise<StorageResult<KubeObject>>;
  /**
   * Removes an object, if it is still at `resourceVersion` when one is
   * given. Returns the removed object as it was last stored.
   */
  delete(key: string, resourceVersion?: string): Promise<StorageResult<KubeObject>>;
  /** The store's current revision. */
  revision(): Promise<string>;
}

/** Decodes one stored value and stamps its resourceVersion. */
export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(bytesText(kv.value)) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: kv.modRevision.toString() };
  return obj;
}

function encodeObject(obj: KubeObject): Uint8Array {
  // The resourceVersion lives in etcd's mod_revision, not in the value.
  const { resourceVersion: _ignored, ...metadata } = obj.metadata ?? {};
  return keyBytes(JSON.stringify({ ...obj, metadata }));
}

function withVersion(obj: KubeObject, revision: bigint): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: revision.toString() } };
}

function rangeKvs(op: ResponseOp | undefined): KeyValue[] {
  return op?.response.case === "responseRange" ? op.response.value.kvs : [];
}

// etcd answers a read at a compacted revision with OutOfRange and this text,
// and one at a future revision with "required revision is a future revision".
function rangeFailure(error: unknown): StorageFailure | undefined {
  if (!(error instanceof ConnectError)) return undefined;
  if (error.rawMessage.includes("compacted")) return { reason: "expired" };
  if (error.rawMessage.includes("future revision"))
    return { reason: "bad-request", message: "Too large resource version" };
  if (error.code === Code.OutOfRange) return { reason: "expired" };
  return undefined;
}

function parseRevision(resourceVersion: string): bigint | undefined {
  return /^\d+$/.test(resourceVersion) ? BigInt(resourceVersion) : undefined;
}

/** Builds an {@link ObjectStore} on an etcd v3 KV service reached through `transport`. */
export function createObjectStore(transport: Transport): ObjectStore {
  const kv: Client<typeof KV> = createClient(KV, transport);

  async function get(key: string): Promise<StorageResult<KubeObject>> {
    const res = await kv.range({ key: keyBytes(key) });
    const found = res.kvs[0];
    return found ? { ok: true, value: decodeObject(found) } : { ok: false, reason: "not-found" };
  }

  return {
    async create(key, obj, guard) {
      const k = keyBytes(key);
      const expected = guard && parseRevision(guard.resourceVersion);
      if (guard && expected === undefined) return { ok: false, reason: "guard-moved" };
      const g = guard && keyBytes(guard.key);
      const res = await kv.txn({
        // create_revision 0 means the key does not exist.
        compare: [
          {
            key: k,
            target: Compare_CompareTarget.CREATE,
            result: Compare_CompareResult.EQUAL,
            targetUnion: { case: "createRevision", value: 0n },
          },
          ...(g && expected !== undefined
            ? [
                {
                  key: g,
                  target: Compare_CompareTarget.MOD,
                  result: Compare_CompareResult.EQUAL,
                  targetUnion: { case: "modRevision" as const, value: expected },
                },
              ]
            : []),
        ],
        success: [{ request: { case: "requestPut", value: { key: k, value: encodeObject(obj) } } }],
        // Which compare failed: the guard's key as it is now.
        failure: g
          ? [{ request: { case: "requestRange", value: { key: g, keysOnly: true } } }]
          : [],
      });
      if (!res.succeeded) {
        const guardNow = rangeKvs(res.responses[0])[0];
        if (g && guardNow?.modRevision !== expected) return { ok: false, reason: "guard-moved" };
        return { ok: false, reason: "already-exists" };
      }
      return { ok: true, value: withVersion(obj, res.header?.revision ?? 0n) };
    },

    get,

    async list(request) {
      const start = request.startKey ?? request.prefix;
      try {
        const res = await kv.range({
          key: keyBytes(start),
          rangeEnd: prefixRangeEnd(request.prefix),
          limit: BigInt(request.limit ?? 0),
          revision: BigInt(request.revision ?? 0),
        });
        const items = res.kvs.map(decodeObject);
        const revision = (
          request.revision ? BigInt(request.revision) : (res.header?.revision ?? 0n)
        ).toString();
        const page: ListPage = { items, keys: res.kvs.map((kv) => bytesText(kv.key)), revision };
        const last = res.kvs.at(-1);
        if (res.more && last) {
          // The smallest key after the last one read.
          page.nextKey = `${bytesText(last.key)}\u0000`;
          page.remaining = Number(res.count) - res.kvs.length;
        }
        return { ok: true, value: page };
      } catch (error) {
        const failure = rangeFailure(error);
        if (failure) return { ok: false, ...failure };
        throw error;
      }
    },

    async update(key, obj, resourceVersion) {
      const expected = parseRevision(resourceVersion);
      if (expected === undefined) {
        const current = await get(key);
        return current.ok ? { ok: false, reason: "conflict", current: current.value } : current;
      }
      const k = keyBytes(key);
      const res = await kv.txn({
        compare: [
          {
            key: k,
            target: Compare_CompareTarget.MOD,
            result: Compare_CompareResult.EQUAL,
            targetUnion: { case: "modRevision", value: expected },
          },
        ],
        success: [{ request: { case: "requestPut", value: { key: k, value: encodeObject(obj) } } }],
        failure: [{ request: { case: "requestRange", value: { key: k } } }],
      });
      if (res.succeeded) return { ok: true, value: withVersion(obj, res.header?.revision ?? 0n) };
      const current = rangeKvs(res.responses[0])[0];
      if (!current) return { ok: false, reason: "not-found" };
      return { ok: false, reason: "conflict", current: decodeObject(current) };
    },

    async delete(key, resourceVersion) {
      const k = keyBytes(key);
      const expected = resourceVersion === undefined ? undefined : parseRevision(resourceVersion);
      if (resourceVersion !== undefined && expected === undefined) {
        // A precondition no stored revision can satisfy.
        const current = await get(key);
        return current.ok ? { ok: false, reason: "conflict", current: current.value } : current;
      }
      const res = await kv.txn({
        compare:
          expected === undefined
            ? [
                {
                  key: k,
                  target: Compare_CompareTarget.CREATE,
                  result: Compare_CompareResult.GREATER,
                  targetUnion: { case: "createRevision", value: 0n },
                },
              ]
            : [
                {
                  key: k,
                  target: Compare_CompareTarget.MOD,
                  result: Compare_CompareResult.EQUAL,
                  targetUnion: { case: "modRevision", value: expected },
                },
              ],
        success: [{ request: { case: "requestDeleteRange", value: { key: k, prevKv: true } } }],
        failure: [{ request: { case: "requestRange", value: { key: k } } }],
      });
      if (res.succeeded) {
        const op = res.responses[0];
        const prev =
          op?.response.case === "responseDeleteRange" ? op.response.value.prevKvs[0] : undefined;
        if (!prev) return { ok: false, reason: "not-found" };
        return { ok: true, value: decodeObject(prev) };
      }
      const current = rangeKvs(res.responses[0])[0];
      if (!current) return { ok: false, reason: "not-found" };
      return { ok: false, reason: "conflict", current: decodeObject(current) };
    },

    async revision() {
      // A range that matches nothing still carries the header revision.
      const res = await kv.range({ key: keyBytes("\u0000"), countOnly: true });
      return (res.header?.revision ?? 0n).toString();
    },
  };
}
