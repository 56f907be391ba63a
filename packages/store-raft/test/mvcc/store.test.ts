import { describe, expect, it } from "vitest";
import {
  CompactedError,
  FutureRevisionError,
  keyRange,
  MvccStore,
  prefixEnd,
} from "../../src/mvcc/index.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function put(store: MvccStore, key: string, value: string, lease = 0n) {
  const txn = store.write();
  const result = txn.put(enc(key), enc(value), lease);
  txn.end();
  return result;
}

function del(store: MvccStore, key: string, end?: string) {
  const txn = store.write();
  const deleted = txn.deleteRange(enc(key), end === undefined ? undefined : enc(end));
  txn.end();
  return deleted;
}

describe("MvccStore", () => {
  it("starts at revision 1 and gives each write the next revision", () => {
    const store = new MvccStore();
    expect(store.currentRevision).toBe(1);
    const first = put(store, "a", "1");
    expect(first.kv).toMatchObject({ createRevision: 2, modRevision: 2, version: 1 });
    const second = put(store, "a", "2");
    expect(second.kv).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 });
    expect(dec(second.prevKv?.value ?? new Uint8Array())).toBe("1");
    expect(store.currentRevision).toBe(3);
  });

  it("reads past revisions and starts a new generation after a delete", () => {
    const store = new MvccStore();
    put(store, "k", "v1"); // rev 2
    put(store, "k", "v2"); // rev 3
    expect(del(store, "k")).toHaveLength(1); // rev 4
    put(store, "k", "v3"); // rev 5
    const at = (revision: number) => store.range(enc("k"), undefined, { revision }).kvs;
    expect(dec(at(2)[0]?.value ?? enc("?"))).toBe("v1");
    expect(dec(at(3)[0]?.value ?? enc("?"))).toBe("v2");
    expect(at(4)).toEqual([]);
    expect(at(5)[0]).toMatchObject({ createRevision: 5, modRevision: 5, version: 1 });
  });

  it("ranges over prefixes, from-key, with limit, count and sort as etcd", () => {
    const store = new MvccStore();
    for (const [k, v] of [
      ["/a/1", "z"],
      ["/a/2", "y"],
      ["/a/3", "x"],
      ["/b/1", "w"],
    ] as const) {
      put(store, k, v);
    }
    const prefix = store.range(enc("/a/"), prefixEnd(enc("/a/")));
    expect(prefix.kvs.map((kv) => dec(kv.key))).toEqual(["/a/1", "/a/2", "/a/3"]);
    expect(prefix.count).toBe(3);

    const limited = store.range(enc("/a/"), prefixEnd(enc("/a/")), { limit: 2 });
    expect(limited.kvs).toHaveLength(2);
    expect(limited).toMatchObject({ count: 3, more: true });

    const fromKey = store.range(enc("/a/3"), new Uint8Array([0]));
    expect(fromKey.kvs.map((kv) => dec(kv.key))).toEqual(["/a/3", "/b/1"]);

    const byValue = store.range(enc("/"), prefixEnd(enc("/")), { sortTarget: "value" });
    expect(byValue.kvs.map((kv) => dec(kv.value))).toEqual(["w", "x", "y", "z"]);

    const descending = store.range(enc("/"), prefixEnd(enc("/")), {
      sortOrder: "descend",
      limit: 1,
    });
    expect(descending.kvs.map((kv) => dec(kv.key))).toEqual(["/b/1"]);
    expect(descending.more).toBe(true);

    const countOnly = store.range(enc("/"), prefixEnd(enc("/")), { countOnly: true });
    expect(countOnly).toMatchObject({ kvs: [], count: 4 });

    const keysOnly = store.range(enc("/b/1"), undefined, { keysOnly: true });
    expect(keysOnly.kvs[0]?.value).toHaveLength(0);

    const filtered = store.range(enc("/"), prefixEnd(enc("/")), { minModRevision: 4 });
    expect(filtered.kvs.map((kv) => dec(kv.key))).toEqual(["/a/3", "/b/1"]);
    expect(filtered.count).toBe(4);
  });

  it("computes prefix ends as etcd clients do", () => {
    expect([...prefixEnd(enc("abc"))]).toEqual([...enc("abd")]);
    expect([...prefixEnd(new Uint8Array([0x61, 0xff]))]).toEqual([0x62]);
    expect([...prefixEnd(new Uint8Array([0xff, 0xff]))]).toEqual([0]);
  });

  it("gives all writes of one transaction one main revision", () => {
    const store = new MvccStore();
    const txn = store.write();
    txn.put(enc("a"), enc("1"), 0n);
    txn.put(enc("b"), enc("2"), 0n);
    // The transaction reads its own writes before they are committed...
    expect(txn.range(enc("a"), undefined).kvs).toHaveLength(1);
    // ...which no one else sees yet.
    expect(store.range(enc("a"), undefined).kvs).toHaveLength(0);
    const events = txn.end();
    expect(events.map((e) => [e.type, e.kv.modRevision])).toEqual([
      ["put", 2],
      ["put", 2],
    ]);
    expect(store.currentRevision).toBe(2);
  });

  it("does not advance the revision for a transaction that writes nothing", () => {
    const store = new MvccStore();
    put(store, "a", "1");
    const txn = store.write();
    expect(txn.deleteRange(enc("missing"), undefined)).toEqual([]);
    expect(txn.end()).toEqual([]);
    expect(store.currentRevision).toBe(2);
  });

  it("refuses future and compacted revisions", () => {
    const store = new MvccStore();
    put(store, "a", "1"); // 2
    put(store, "a", "2"); // 3
    put(store, "a", "3"); // 4
    expect(() => store.range(enc("a"), undefined, { revision: 9 })).toThrow(FutureRevisionError);
    store.compact(3);
    expect(store.compactRevision).toBe(3);
    expect(() => store.range(enc("a"), undefined, { revision: 2 })).toThrow(CompactedError);
    expect(dec(store.range(enc("a"), undefined, { revision: 3 }).kvs[0]?.value ?? enc(""))).toBe(
      "2",
    );
    expect(() => store.compact(3)).toThrow(CompactedError);
    expect(() => store.compact(5)).toThrow(FutureRevisionError);
  });

  it("keeps, on compaction, the version a read at the compacted revision sees", () => {
    const store = new MvccStore();
    put(store, "old", "kept"); // 2: older than the compaction, still current
    put(store, "gone", "x"); // 3
    del(store, "gone"); // 4: deleted before the compaction
    put(store, "other", "y"); // 5
    store.compact(5);
    expect(dec(store.range(enc("old"), undefined).kvs[0]?.value ?? enc(""))).toBe("kept");
    expect(store.range(enc("old"), undefined, { revision: 5 }).kvs).toHaveLength(1);
    expect(store.range(enc("gone"), undefined).kvs).toHaveLength(0);
    expect(store.exportState().keys.map((k) => dec(k.key))).toEqual(["old", "other"]);
  });

  it("replays events from a revision, with previous values, and refuses compacted starts", () => {
    const store = new MvccStore();
    put(store, "w/a", "1"); // 2
    put(store, "x", "ignored"); // 3
    put(store, "w/a", "2"); // 4
    del(store, "w/a"); // 5
    const events = [...store.eventsSince(3, keyRange(enc("w/"), prefixEnd(enc("w/"))))];
    expect(events.map((e) => [e.type, dec(e.kv.key), e.kv.modRevision])).toEqual([
      ["put", "w/a", 4],
      ["delete", "w/a", 5],
    ]);
    expect(dec(events[0]?.prevKv?.value ?? enc(""))).toBe("1");
    expect(dec(events[1]?.prevKv?.value ?? enc(""))).toBe("2");
    store.compact(4);
    expect(() => [...store.eventsSince(3, keyRange(enc("w/a"), undefined))]).toThrow(
      CompactedError,
    );
    expect([...store.eventsSince(4, keyRange(enc("w/a"), undefined))]).toHaveLength(2);
  });

  it("round-trips its state through exportState/fromState", () => {
    const store = new MvccStore();
    put(store, "a", "1");
    put(store, "b", "2");
    del(store, "a");
    put(store, "c", "3", 7n);
    store.compact(3);
    const copy = MvccStore.fromState(store.exportState());
    expect(copy.currentRevision).toBe(store.currentRevision);
    expect(copy.compactRevision).toBe(3);
    const all = (s: MvccStore) => s.range(new Uint8Array([0]), new Uint8Array([0])).kvs;
    expect(all(copy)).toEqual(all(store));
    const everything = keyRange(new Uint8Array([0]), new Uint8Array([0]));
    expect([...copy.eventsSince(3, everything)]).toEqual([...store.eventsSince(3, everything)]);
  });
});
