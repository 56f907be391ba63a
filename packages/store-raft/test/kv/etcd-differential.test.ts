import { create, type MessageInitShape, toJson } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import {
  Compare_CompareResult,
  Compare_CompareTarget,
  DeleteRangeRequestSchema,
  KV,
  Lease,
  PutRequestSchema,
  RangeRequest_SortOrder,
  RangeRequest_SortTarget,
  RangeRequestSchema,
  type RequestOp,
  TxnRequestSchema,
  TxnResponseSchema,
} from "@kubekit/proto/etcd";
import { type RunningEtcd, startEtcd } from "@kubekit/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KvStateMachine,
  validateDeleteRange,
  validatePut,
  validateRange,
  validateTxn,
} from "../../src/kv/index.js";

/**
 * Differential test: random sequences of KV and lease requests go to a real
 * etcd 3.4 and to KvStateMachine; every response (with revisions shifted by
 * the difference in starting revision) and every error (gRPC code and
 * message) must be the same. Each run works under its own key prefix, so
 * runs don't see each other's keys on the shared etcd.
 */

const enc = (s: string) => new TextEncoder().encode(s);

type Request =
  | { kind: "put"; value: MessageInitShape<typeof PutRequestSchema> }
  | { kind: "range"; value: MessageInitShape<typeof RangeRequestSchema> }
  | { kind: "delete"; value: MessageInitShape<typeof DeleteRangeRequestSchema> }
  | { kind: "txn"; value: MessageInitShape<typeof TxnRequestSchema> }
  | { kind: "grant"; id: number; ttl: number }
  | { kind: "revoke"; id: number };

/**
 * Generates requests on keys "a".."z" and lease IDs 1 and 2; `scoped` moves
 * them under a run's own prefix and lease range when the run executes, so a
 * shrunk rerun never meets keys or leases an earlier run left in etcd.
 */
function requestArb(): fc.Arbitrary<Request> {
  const prefix = "";
  const leaseBase = 0;
  const key = fc.constantFrom("a", "b", "c", "d").map((k) => enc(prefix + k));
  const end = fc
    .constantFrom("", "c", "z")
    .map((e) => (e === "" ? new Uint8Array() : enc(prefix + e)));
  const value = fc.constantFrom("", "x", "y", "zz").map(enc);
  const lease = fc.constantFrom(0, 0, 1, 2).map((n) => (n === 0 ? 0n : BigInt(leaseBase + n)));
  const put = fc.record({
    key,
    value,
    lease,
    prevKv: fc.boolean(),
    ignoreValue: fc.constant(false),
  });
  const range = fc.record({
    key,
    rangeEnd: end,
    limit: fc.nat(3).map(BigInt),
    sortOrder: fc.constantFrom(
      RangeRequest_SortOrder.NONE,
      RangeRequest_SortOrder.ASCEND,
      RangeRequest_SortOrder.DESCEND,
    ),
    sortTarget: fc.constantFrom(
      RangeRequest_SortTarget.KEY,
      RangeRequest_SortTarget.VALUE,
      RangeRequest_SortTarget.MOD,
    ),
    keysOnly: fc.boolean(),
    countOnly: fc.boolean(),
  });
  const del = fc.record({ key, rangeEnd: end, prevKv: fc.boolean() });
  const op: fc.Arbitrary<RequestOp["request"]> = fc.oneof(
    put.map((value) => ({ case: "requestPut" as const, value: create(PutRequestSchema, value) })),
    range.map((value) => ({
      case: "requestRange" as const,
      value: create(RangeRequestSchema, value),
    })),
    del.map((value) => ({
      case: "requestDeleteRange" as const,
      value: create(DeleteRangeRequestSchema, value),
    })),
  );
  const compare = fc
    .record({
      key,
      target: fc.constantFrom(
        Compare_CompareTarget.VERSION,
        Compare_CompareTarget.VALUE,
        Compare_CompareTarget.MOD,
      ),
      result: fc.constantFrom(
        Compare_CompareResult.EQUAL,
        Compare_CompareResult.NOT_EQUAL,
        Compare_CompareResult.GREATER,
        Compare_CompareResult.LESS,
      ),
      number: fc.nat(3),
      value,
    })
    .map(({ key, target, result, number, value }) => ({
      key,
      target,
      result,
      targetUnion:
        target === Compare_CompareTarget.VALUE
          ? { case: "value" as const, value }
          : target === Compare_CompareTarget.VERSION
            ? { case: "version" as const, value: BigInt(number) }
            : { case: "modRevision" as const, value: BigInt(number) },
    }));
  const txn = fc.record({
    compare: fc.array(compare, { minLength: 1, maxLength: 2 }),
    success: fc.array(
      op.map((request) => ({ request })),
      { maxLength: 3 },
    ),
    failure: fc.array(
      op.map((request) => ({ request })),
      { maxLength: 3 },
    ),
  });
  return fc.oneof(
    { weight: 4, arbitrary: put.map((value) => ({ kind: "put" as const, value })) },
    { weight: 3, arbitrary: range.map((value) => ({ kind: "range" as const, value })) },
    { weight: 2, arbitrary: del.map((value) => ({ kind: "delete" as const, value })) },
    { weight: 3, arbitrary: txn.map((value) => ({ kind: "txn" as const, value })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1, 2)
        .map((n) => ({ kind: "grant" as const, id: leaseBase + n, ttl: 60 })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1, 2).map((n) => ({ kind: "revoke" as const, id: leaseBase + n })),
    },
  );
}

/** A copy of `value` with keys under `prefix` and non-zero lease IDs moved up by `leaseBase`. */
function scoped<T>(value: T, prefix: Uint8Array, leaseBase: bigint): T {
  if (Array.isArray(value)) return value.map((v) => scoped(v, prefix, leaseBase)) as T;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value)) {
    if ((field === "key" || field === "rangeEnd") && v instanceof Uint8Array && v.length > 0) {
      out[field] = new Uint8Array([...prefix, ...v]);
    } else if (field === "lease" && typeof v === "bigint" && v !== 0n) {
      out[field] = v + leaseBase;
    } else if (field === "id" && typeof v === "number") {
      out[field] = v + Number(leaseBase);
    } else out[field] = scoped(v, prefix, leaseBase);
  }
  return out as T;
}

/**
 * The same request in etcd's revision space: revisions in compares (and in
 * reads at a revision) are moved by `shift`, as every revision etcd reports is.
 */
function inEtcdRevisions<T>(value: T, shift: bigint): T {
  if (Array.isArray(value)) return value.map((v) => inEtcdRevisions(v, shift)) as T;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(record)) {
    if (field === "targetUnion" && v !== null && typeof v === "object") {
      const union = v as { case?: string; value?: unknown };
      out[field] =
        (union.case === "modRevision" || union.case === "createRevision") &&
        typeof union.value === "bigint" &&
        union.value !== 0n // 0 means "no such key" in both spaces
          ? { case: union.case, value: union.value + shift }
          : union;
    } else if (field === "revision" && typeof v === "bigint" && v !== 0n) {
      out[field] = v + shift;
    } else out[field] = inEtcdRevisions(v, shift);
  }
  return out as T;
}

/** A response as JSON, with revisions moved by `shift` and the header reduced to its revision. */
function normalize(json: unknown, shift: bigint): unknown {
  if (Array.isArray(json)) return json.map((item) => normalize(item, shift));
  if (json === null || typeof json !== "object") return json;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(json)) {
    if (field === "header") continue;
    if (field === "createRevision" || field === "modRevision") {
      out[field] = String(BigInt(value as string) - shift);
    } else out[field] = normalize(value, shift);
  }
  return out;
}

async function outcome(run: () => Promise<unknown> | unknown, shift: bigint): Promise<unknown> {
  try {
    return { ok: normalize(await run(), shift) };
  } catch (error) {
    if (error instanceof ConnectError) return { error: [error.code, error.rawMessage] };
    throw error;
  }
}

describe("KvStateMachine against a real etcd 3.4", () => {
  let etcd: RunningEtcd;
  let sessions: Http2SessionManager;
  let transport: Transport;
  let runIndex = 0;

  beforeAll(async () => {
    etcd = await startEtcd();
    sessions = new Http2SessionManager(etcd.endpoint);
    transport = createGrpcTransport({ baseUrl: etcd.endpoint, sessionManager: sessions });
  });

  afterAll(async () => {
    sessions?.abort();
    await etcd?.stop();
  });

  it("answers every request as etcd does", async () => {
    const kv = createClient(KV, transport);
    const lease = createClient(Lease, transport);
    await fc.assert(
      fc.asyncProperty(
        fc.array(requestArb(), { minLength: 5, maxLength: 30 }),
        async (unscoped) => {
          runIndex++;
          const requests = unscoped.map((r) =>
            scoped(r, enc(`/diff/${runIndex}/`), BigInt(runIndex * 100)),
          );
          const sm = new KvStateMachine({ minLeaseTtlSeconds: 1 });
          // Our store starts at revision 1; etcd is wherever earlier runs left it.
          const base = (await kv.range({ key: enc("/") })).header?.revision ?? 1n;
          const shift = base - 1n;
          for (const request of requests) {
            let theirs: unknown;
            let ours: unknown;
            switch (request.kind) {
              case "put": {
                const message = create(PutRequestSchema, request.value);
                theirs = await outcome(
                  async () => toJson(PutRequestSchema, message) && kv.put(message),
                  shift,
                );
                ours = await outcome(() => {
                  validatePut(message);
                  return sm.put(message);
                }, 0n);
                break;
              }
              case "range": {
                const message = create(RangeRequestSchema, request.value);
                theirs = await outcome(() => kv.range(message), shift);
                ours = await outcome(() => {
                  validateRange(message);
                  return sm.range(message);
                }, 0n);
                break;
              }
              case "delete": {
                const message = create(DeleteRangeRequestSchema, request.value);
                theirs = await outcome(() => kv.deleteRange(message), shift);
                ours = await outcome(() => {
                  validateDeleteRange(message);
                  return sm.deleteRange(message);
                }, 0n);
                break;
              }
              case "txn": {
                const message = create(TxnRequestSchema, request.value);
                const etcdMessage = create(TxnRequestSchema, inEtcdRevisions(request.value, shift));
                theirs = await outcome(
                  async () => toJson(TxnResponseSchema, await kv.txn(etcdMessage)),
                  shift,
                );
                ours = await outcome(() => {
                  validateTxn(message);
                  return toJson(TxnResponseSchema, sm.txn(message));
                }, 0n);
                break;
              }
              case "grant": {
                const message = { ID: BigInt(request.id), TTL: BigInt(request.ttl) };
                theirs = await outcome(() => lease.leaseGrant(message), shift);
                ours = await outcome(() => sm.leaseGrant(message as never, 0), 0n);
                break;
              }
              case "revoke": {
                theirs = await outcome(() => lease.leaseRevoke({ ID: BigInt(request.id) }), shift);
                ours = await outcome(() => sm.leaseRevoke({ ID: BigInt(request.id) } as never), 0n);
                break;
              }
            }
            if (process.env.DIFF_DEBUG)
              console.log(
                request.kind,
                JSON.stringify(theirs, (_, v) => (typeof v === "bigint" ? `${v}n` : v)).slice(
                  0,
                  200,
                ),
              );
            expect(
              ours,
              JSON.stringify(request, (_, v) => (typeof v === "bigint" ? `${v}n` : v)),
            ).toEqual(theirs);
          }
          // Leave no leases behind for later runs.
          for (const id of sm.lessor.list())
            await lease.leaseRevoke({ ID: id }).catch(() => undefined);
        },
      ),
      { numRuns: Number(process.env.ETCD_DIFF_RUNS ?? 80) },
    );
  });
});
