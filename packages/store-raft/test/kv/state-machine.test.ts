import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  CompactionRequestSchema,
  CompareSchema,
  DeleteRangeRequestSchema,
  LeaseGrantRequestSchema,
  LeaseRevokeRequestSchema,
  type PutRequest,
  PutRequestSchema,
  type RangeRequest,
  RangeRequestSchema,
  type RequestOp,
  RequestOpSchema,
  Compare_CompareResult as Result,
  Compare_CompareTarget as Target,
  TxnRequestSchema,
} from "@kubekit/proto/etcd";
import { describe, expect, it } from "vitest";
import { KvStateMachine, validateTxn } from "../../src/kv/index.js";
import type { MvccEvent } from "../../src/mvcc/index.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

import type { MessageInitShape } from "@bufbuild/protobuf";

const put = (init: MessageInitShape<typeof PutRequestSchema>): PutRequest =>
  create(PutRequestSchema, init);
const range = (init: MessageInitShape<typeof RangeRequestSchema>): RangeRequest =>
  create(RangeRequestSchema, init);
const putOp = (key: string, value: string, lease = 0n): RequestOp =>
  create(RequestOpSchema, {
    request: { case: "requestPut", value: { key: enc(key), value: enc(value), lease } },
  });
const getOp = (key: string): RequestOp =>
  create(RequestOpSchema, { request: { case: "requestRange", value: { key: enc(key) } } });
const delOp = (key: string, rangeEnd = ""): RequestOp =>
  create(RequestOpSchema, {
    request: { case: "requestDeleteRange", value: { key: enc(key), rangeEnd: enc(rangeEnd) } },
  });

function expectEtcdError(run: () => unknown, code: Code, message: string) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(code);
    expect((error as ConnectError).rawMessage).toBe(`etcdserver: ${message}`);
    return;
  }
  throw new Error("expected an error");
}

describe("KvStateMachine", () => {
  it("puts and gets, returning the previous value when asked", () => {
    const sm = new KvStateMachine();
    sm.put(put({ key: enc("a"), value: enc("1") }));
    const second = sm.put(put({ key: enc("a"), value: enc("2"), prevKv: true }));
    expect(dec(second.prevKv?.value)).toBe("1");
    expect(second.header?.revision).toBe(3n);
    const got = sm.range(range({ key: enc("a") }));
    expect(
      got.kvs.map((kv) => [dec(kv.value), kv.version, kv.createRevision, kv.modRevision]),
    ).toEqual([["2", 2n, 2n, 3n]]);
  });

  it("keeps the value or lease with ignore_value / ignore_lease, and refuses them on a missing key", () => {
    const sm = new KvStateMachine({ minLeaseTtlSeconds: 1 });
    sm.leaseGrant(create(LeaseGrantRequestSchema, { ID: 9n, TTL: 60n }), 0);
    sm.put(put({ key: enc("k"), value: enc("v"), lease: 9n }));
    sm.put(put({ key: enc("k"), ignoreValue: true, ignoreLease: true }));
    const kv = sm.range(range({ key: enc("k") })).kvs[0];
    expect([dec(kv?.value), kv?.lease, kv?.version]).toEqual(["v", 9n, 2n]);
    expectEtcdError(
      () => sm.put(put({ key: enc("nope"), ignoreValue: true })),
      Code.InvalidArgument,
      "key not found",
    );
    expectEtcdError(
      () => sm.put(put({ key: enc("x"), value: enc("1"), lease: 77n })),
      Code.NotFound,
      "requested lease not found",
    );
  });

  it("runs the success or failure branch of a txn by its compares, as etcd does", () => {
    const sm = new KvStateMachine();
    // A missing key has version 0 ...
    const created = sm.txn(
      create(TxnRequestSchema, {
        compare: [
          create(CompareSchema, {
            key: enc("lock"),
            target: Target.VERSION,
            result: Result.EQUAL,
            targetUnion: { case: "version", value: 0n },
          }),
        ],
        success: [putOp("lock", "me")],
        failure: [getOp("lock")],
      }),
    );
    expect(created.succeeded).toBe(true);
    // ... and never satisfies a value comparison.
    const valueOnMissing = sm.txn(
      create(TxnRequestSchema, {
        compare: [
          create(CompareSchema, {
            key: enc("missing"),
            target: Target.VALUE,
            result: Result.NOT_EQUAL,
            targetUnion: { case: "value", value: enc("x") },
          }),
        ],
      }),
    );
    expect(valueOnMissing.succeeded).toBe(false);
    const again = sm.txn(
      create(TxnRequestSchema, {
        compare: [
          create(CompareSchema, {
            key: enc("lock"),
            target: Target.VERSION,
            result: Result.EQUAL,
            targetUnion: { case: "version", value: 0n },
          }),
        ],
        success: [putOp("lock", "you")],
        failure: [getOp("lock")],
      }),
    );
    expect(again.succeeded).toBe(false);
    const range = again.responses[0]?.response;
    expect(range?.case).toBe("responseRange");
    expect(range?.case === "responseRange" && dec(range.value.kvs[0]?.value)).toBe("me");
    expect(again.header?.revision).toBe(2n);
  });

  it("gives all writes of a txn one revision and lets later ops read earlier ones", () => {
    const sm = new KvStateMachine();
    const events: MvccEvent[][] = [];
    sm.onEvents((e) => events.push([...e]));
    const response = sm.txn(
      create(TxnRequestSchema, { success: [putOp("a", "1"), putOp("b", "2"), getOp("a")] }),
    );
    expect(response.header?.revision).toBe(2n);
    const read = response.responses[2]?.response;
    expect(read?.case === "responseRange" && dec(read.value.kvs[0]?.value)).toBe("1");
    expect(events).toHaveLength(1);
    expect(events[0]?.map((e) => e.kv.modRevision)).toEqual([2, 2]);
  });

  it("changes nothing when an op of the chosen branch fails its check", () => {
    const sm = new KvStateMachine();
    const before = sm.mvcc.currentRevision;
    expectEtcdError(
      () => sm.txn(create(TxnRequestSchema, { success: [putOp("a", "1"), putOp("b", "2", 123n)] })),
      Code.NotFound,
      "requested lease not found",
    );
    expect(sm.mvcc.currentRevision).toBe(before);
    expect(sm.range(range({ key: enc("a") })).kvs).toHaveLength(0);
  });

  it("evaluates nested txn compares against the state before the txn", () => {
    const sm = new KvStateMachine();
    const nested = create(TxnRequestSchema, {
      compare: [
        create(CompareSchema, {
          key: enc("k"),
          target: Target.VERSION,
          result: Result.EQUAL,
          targetUnion: { case: "version", value: 0n },
        }),
      ],
      success: [putOp("seen", "missing")],
      failure: [putOp("seen", "present")],
    });
    const response = sm.txn(
      create(TxnRequestSchema, {
        success: [
          putOp("k", "v"),
          create(RequestOpSchema, { request: { case: "requestTxn", value: nested } }),
        ],
      }),
    );
    const inner = response.responses[1]?.response;
    expect(inner?.case === "responseTxn" && inner.value.succeeded).toBe(true);
    expect(dec(sm.range(range({ key: enc("seen") })).kvs[0]?.value)).toBe("missing");
  });

  it("deletes ranges with previous values and detaches leases", () => {
    const sm = new KvStateMachine({ minLeaseTtlSeconds: 1 });
    sm.leaseGrant(create(LeaseGrantRequestSchema, { ID: 5n, TTL: 30n }), 0);
    sm.put(put({ key: enc("p/1"), value: enc("a"), lease: 5n }));
    sm.put(put({ key: enc("p/2"), value: enc("b") }));
    const response = sm.deleteRange(
      create(DeleteRangeRequestSchema, { key: enc("p/"), rangeEnd: enc("p0"), prevKv: true }),
    );
    expect(response.deleted).toBe(2n);
    expect(response.prevKvs.map((kv) => dec(kv.value))).toEqual(["a", "b"]);
    expect(sm.lessor.timeToLive(5n, 0).keys).toEqual([]);
  });

  it("revokes a lease by deleting its keys in one revision", () => {
    const sm = new KvStateMachine({ minLeaseTtlSeconds: 1 });
    sm.leaseGrant(create(LeaseGrantRequestSchema, { ID: 1n, TTL: 10n }), 0);
    sm.put(put({ key: enc("x"), value: enc("1"), lease: 1n }));
    sm.put(put({ key: enc("y"), value: enc("2"), lease: 1n }));
    const seen: number[] = [];
    sm.onEvents((events, revision) => seen.push(events.length, revision));
    sm.leaseRevoke(create(LeaseRevokeRequestSchema, { ID: 1n }));
    expect(seen).toEqual([2, 4]); // lease grants take no revision
    expect(sm.range(range({ key: enc("x"), rangeEnd: enc("z") })).count).toBe(0n);
    expectEtcdError(
      () => sm.leaseRevoke(create(LeaseRevokeRequestSchema, { ID: 1n })),
      Code.NotFound,
      "requested lease not found",
    );
    expectEtcdError(
      () => sm.leaseGrant(create(LeaseGrantRequestSchema, { ID: 2n, TTL: 9_000_000_001n }), 0),
      Code.OutOfRange,
      "too large lease TTL",
    );
  });

  it("maps compaction errors to etcd's", () => {
    const sm = new KvStateMachine();
    sm.put(put({ key: enc("a"), value: enc("1") }));
    sm.put(put({ key: enc("a"), value: enc("2") }));
    sm.compact(create(CompactionRequestSchema, { revision: 3n }));
    expectEtcdError(
      () => sm.range(range({ key: enc("a"), revision: 2n })),
      Code.OutOfRange,
      "mvcc: required revision has been compacted",
    );
    expectEtcdError(
      () => sm.range(range({ key: enc("a"), revision: 9n })),
      Code.OutOfRange,
      "mvcc: required revision is a future revision",
    );
    expectEtcdError(
      () => sm.compact(create(CompactionRequestSchema, { revision: 3n })),
      Code.OutOfRange,
      "mvcc: required revision has been compacted",
    );
  });
});

describe("validateTxn", () => {
  it("refuses two writes of one key in a branch, and too many ops", () => {
    expectEtcdError(
      () => validateTxn(create(TxnRequestSchema, { success: [putOp("a", "1"), putOp("a", "2")] })),
      Code.InvalidArgument,
      "duplicate key given in txn request",
    );
    expectEtcdError(
      () =>
        validateTxn(create(TxnRequestSchema, { success: [putOp("a/1", "1"), delOp("a/", "a0")] })),
      Code.InvalidArgument,
      "duplicate key given in txn request",
    );
    // The same key in the two branches is fine: only one runs.
    validateTxn(
      create(TxnRequestSchema, { success: [putOp("a", "1")], failure: [putOp("a", "2")] }),
    );
    expectEtcdError(
      () =>
        validateTxn(
          create(TxnRequestSchema, {
            success: Array.from({ length: 129 }, (_, i) => putOp(`k${i}`, "v")),
          }),
        ),
      Code.InvalidArgument,
      "too many operations in txn request",
    );
  });
});
