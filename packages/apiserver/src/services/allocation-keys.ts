import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { Compare_CompareResult, Compare_CompareTarget, KV } from "@kubekit/proto/etcd";
import { bytesText, keyBytes, prefixRangeEnd } from "../storage/etcd-keys.js";

/** Who holds an allocated value. */
export interface AllocationOwner {
  namespace: string;
  name: string;
  uid: string;
}

/**
 * One etcd key per allocated value (`<prefix><value>`), claimed with a
 * create-if-absent transaction and released with a delete, so two
 * apiservers (or two requests) can never hand out the same value, and a
 * restarted apiserver sees every allocation. This is the shape of
 * upstream's newer IPAddress-object allocator rather than its older single
 * bitmap key, which needs a read-modify-write of the whole range per
 * allocation.
 */
export interface AllocationKeys {
  /** Claims `value` for `owner`; false when someone holds it already. */
  claim(value: string, owner: AllocationOwner): Promise<boolean>;
  /** Releases `value` if `uid` holds it (a value re-claimed by someone else stays theirs). */
  release(value: string, uid: string): Promise<void>;
  /** Every allocated value with its owner. */
  list(): Promise<Map<string, AllocationOwner>>;
  /** The owner of one value, if allocated. */
  owner(value: string): Promise<AllocationOwner | undefined>;
}

/** {@link AllocationKeys} under `prefix` (ending in `/`) in an etcd v3 store. */
export function createAllocationKeys(transport: Transport, prefix: string): AllocationKeys {
  const kv: Client<typeof KV> = createClient(KV, transport);
  const parse = (bytes: Uint8Array): AllocationOwner =>
    JSON.parse(bytesText(bytes)) as AllocationOwner;
  return {
    async claim(value, owner) {
      const key = keyBytes(prefix + value);
      const res = await kv.txn({
        compare: [
          {
            key,
            target: Compare_CompareTarget.CREATE,
            result: Compare_CompareResult.EQUAL,
            targetUnion: { case: "createRevision", value: 0n },
          },
        ],
        success: [
          {
            request: { case: "requestPut", value: { key, value: keyBytes(JSON.stringify(owner)) } },
          },
        ],
        failure: [{ request: { case: "requestRange", value: { key } } }],
      });
      if (res.succeeded) return true;
      // Claiming again what we already hold is not a conflict (a retried write).
      const op = res.responses[0];
      const held = op?.response.case === "responseRange" ? op.response.value.kvs[0] : undefined;
      return held !== undefined && parse(held.value).uid === owner.uid;
    },
    async release(value, uid) {
      const key = keyBytes(prefix + value);
      const res = await kv.range({ key });
      const held = res.kvs[0];
      if (!held || parse(held.value).uid !== uid) return;
      await kv.txn({
        compare: [
          {
            key,
            target: Compare_CompareTarget.MOD,
            result: Compare_CompareResult.EQUAL,
            targetUnion: { case: "modRevision", value: held.modRevision },
          },
        ],
        success: [{ request: { case: "requestDeleteRange", value: { key } } }],
      });
    },
    async list() {
      const res = await kv.range({ key: keyBytes(prefix), rangeEnd: prefixRangeEnd(prefix) });
      return new Map(res.kvs.map((k) => [bytesText(k.key).slice(prefix.length), parse(k.value)]));
    },
    async owner(value) {
      const res = await kv.range({ key: keyBytes(prefix + value) });
      return res.kvs[0] ? parse(res.kvs[0].value) : undefined;
    },
  };
}
