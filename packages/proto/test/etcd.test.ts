import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createWritableIterable } from "@connectrpc/connect/protocol";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { type RunningEtcd, startEtcd } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Cluster,
  Compare_CompareResult,
  Compare_CompareTarget,
  Event_EventType,
  KV,
  Lease,
  Maintenance,
  Watch,
  type WatchRequest,
  WatchRequestSchema,
  type WatchResponse,
} from "../src/etcd.js";
import { bytes, etcdctl, prefixEnd, text } from "./etcd-helpers.js";

/** Upper bound for every streaming call, so a missing event fails the test instead of hanging it. */
const STREAM_TIMEOUT_MS = 10_000;

describe("etcd v3 protos against a real etcd 3.4", () => {
  let etcd: RunningEtcd;
  let sessions: Http2SessionManager;
  let transport: Transport;

  beforeAll(async () => {
    etcd = await startEtcd();
    sessions = new Http2SessionManager(etcd.endpoint);
    transport = createGrpcTransport({ baseUrl: etcd.endpoint, sessionManager: sessions });
  });

  afterAll(async () => {
    sessions?.abort();
    await etcd?.stop();
  });

  it("Put then Range over a prefix returns exactly the keys under it", async () => {
    const kv = createClient(KV, transport);
    for (const key of ["/range/a", "/range/b", "/range0", "/rang"]) {
      await kv.put({ key: bytes(key), value: bytes(`value of ${key}`) });
    }
    const prefix = bytes("/range/");
    const response = await kv.range({ key: prefix, rangeEnd: prefixEnd(prefix) });

    expect(response.count).toBe(2n);
    expect(response.more).toBe(false);
    expect(response.kvs.map((kv) => text(kv.key))).toEqual(["/range/a", "/range/b"]);
    expect(response.kvs.map((kv) => text(kv.value))).toEqual([
      "value of /range/a",
      "value of /range/b",
    ]);
    for (const kv of response.kvs) {
      expect(kv.version).toBe(1n);
      expect(kv.createRevision).toBe(kv.modRevision);
      expect(kv.modRevision).toBeLessThanOrEqual(response.header?.revision ?? 0n);
    }
  });

  it("a prefix ending in 0xff selects its keys and no others", async () => {
    const kv = createClient(KV, transport);
    const prefix = new Uint8Array([0x70, 0xff]); // "p\xff"
    const inside = [new Uint8Array([0x70, 0xff, 0x31]), new Uint8Array([0x70, 0xff, 0xff])];
    const outside = [new Uint8Array([0x71]), new Uint8Array([0x70, 0xfe])];
    for (const key of [...inside, ...outside]) await kv.put({ key, value: key });

    const response = await kv.range({ key: prefix, rangeEnd: prefixEnd(prefix), keysOnly: true });
    expect(response.kvs.map((kv) => kv.key)).toEqual(inside);
    expect(response.kvs.every((kv) => kv.value.length === 0)).toBe(true);
  });

  it("Txn runs the success branch when the version compare holds and the failure branch when not", async () => {
    const kv = createClient(KV, transport);
    const key = bytes("/txn/k");
    await kv.put({ key, value: bytes("one") });
    const versionIsOne = {
      key,
      target: Compare_CompareTarget.VERSION,
      result: Compare_CompareResult.EQUAL,
      targetUnion: { case: "version", value: 1n },
    } as const;

    const first = await kv.txn({
      compare: [versionIsOne],
      success: [
        { request: { case: "requestPut", value: { key, value: bytes("two"), prevKv: true } } },
      ],
      failure: [
        {
          request: { case: "requestPut", value: { key: bytes("/txn/failed"), value: bytes("x") } },
        },
      ],
    });
    expect(first.succeeded).toBe(true);
    expect(first.responses).toHaveLength(1);
    const put = first.responses[0]?.response;
    expect(put?.case).toBe("responsePut");
    expect(
      put?.case === "responsePut" ? text(put.value.prevKv?.value ?? new Uint8Array()) : "",
    ).toBe("one");

    // The key is now at version 2, so the same guard fails.
    const second = await kv.txn({
      compare: [versionIsOne],
      success: [{ request: { case: "requestPut", value: { key, value: bytes("three") } } }],
      failure: [{ request: { case: "requestRange", value: { key } } }],
    });
    expect(second.succeeded).toBe(false);
    const range = second.responses[0]?.response;
    expect(range?.case).toBe("responseRange");
    if (range?.case !== "responseRange") throw new Error("expected a range response");
    expect(range.value.kvs.map((kv) => [text(kv.value), kv.version])).toEqual([["two", 2n]]);

    // Neither untaken branch wrote anything.
    expect((await kv.range({ key: bytes("/txn/failed") })).count).toBe(0n);
    expect(text((await kv.range({ key })).kvs[0]?.value ?? new Uint8Array())).toBe("two");
  });

  it("DeleteRange removes a prefix and returns the previous values; Compact drops old revisions", async () => {
    const kv = createClient(KV, transport);
    const first = await kv.put({ key: bytes("/del/a"), value: bytes("a") });
    await kv.put({ key: bytes("/del/b"), value: bytes("b") });
    const prefix = bytes("/del/");
    const deleted = await kv.deleteRange({
      key: prefix,
      rangeEnd: prefixEnd(prefix),
      prevKv: true,
    });
    expect(deleted.deleted).toBe(2n);
    expect(deleted.prevKvs.map((kv) => text(kv.value)).sort()).toEqual(["a", "b"]);
    expect((await kv.range({ key: prefix, rangeEnd: prefixEnd(prefix) })).count).toBe(0n);

    const oldRevision = first.header?.revision ?? 0n;
    await kv.compact({ revision: deleted.header?.revision ?? 0n, physical: true });
    const stale = await kv
      .range({ key: bytes("/del/a"), revision: oldRevision })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConnectError);
    expect((stale as ConnectError).code).toBe(Code.OutOfRange);
    expect((stale as ConnectError).rawMessage).toBe(
      "etcdserver: mvcc: required revision has been compacted",
    );
  });

  it("Watch streams a put made on another call, then cancels", async () => {
    const kv = createClient(KV, transport);
    const watch = createClient(Watch, transport);
    const key = bytes("/watch/k");
    const requests = createWritableIterable<WatchRequest>();
    const call = new AbortController();
    const responses = watch
      .watch(requests, { timeoutMs: STREAM_TIMEOUT_MS, signal: call.signal })
      [Symbol.asyncIterator]();
    const next = async (): Promise<WatchResponse> => {
      const result = await responses.next();
      if (result.done === true) throw new Error("watch stream ended early");
      return result.value;
    };

    // write() settles once the transport has taken the message, so it is not awaited
    // before reading: etcd answers the create on the same stream.
    const created = requests.write(
      create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key } } }),
    );
    const ack = await next();
    await created;
    expect(ack.created).toBe(true);

    const put = await kv.put({ key, value: bytes("watched") });
    const change = await next();
    expect(change.watchId).toBe(ack.watchId);
    expect(change.events).toHaveLength(1);
    const event = change.events[0];
    expect(event?.type).toBe(Event_EventType.PUT);
    expect(text(event?.kv?.key ?? new Uint8Array())).toBe("/watch/k");
    expect(text(event?.kv?.value ?? new Uint8Array())).toBe("watched");
    expect(event?.kv?.modRevision).toBe(put.header?.revision);

    const cancel = requests.write(
      create(WatchRequestSchema, {
        requestUnion: { case: "cancelRequest", value: { watchId: ack.watchId } },
      }),
    );
    const canceled = await next();
    await cancel;
    expect(canceled.canceled).toBe(true);
    expect(canceled.watchId).toBe(ack.watchId);

    // etcd keeps a watch stream open after the client half-closes it (it
    // only ends the call when the client goes away), so end it from our side.
    requests.close();
    call.abort();
    await expect(responses.next()).rejects.toMatchObject({ code: Code.Canceled });
  });

  it("a key put with a lease is listed by LeaseTimeToLive, renewed by KeepAlive and removed by LeaseRevoke", async () => {
    const kv = createClient(KV, transport);
    const lease = createClient(Lease, transport);
    const grant = await lease.leaseGrant({ TTL: 60n });
    expect(grant.ID).not.toBe(0n);
    expect(grant.TTL).toBe(60n);
    expect(grant.error).toBe("");

    const key = bytes("/lease/k");
    await kv.put({ key, value: bytes("leased"), lease: grant.ID });
    const ttl = await lease.leaseTimeToLive({ ID: grant.ID, keys: true });
    expect(ttl.ID).toBe(grant.ID);
    expect(ttl.grantedTTL).toBe(60n);
    expect(ttl.TTL).toBeGreaterThan(0n);
    expect(ttl.TTL).toBeLessThanOrEqual(60n);
    expect(ttl.keys.map(text)).toEqual(["/lease/k"]);
    expect((await kv.range({ key })).kvs[0]?.lease).toBe(grant.ID);

    const leases = await lease.leaseLeases({});
    expect(leases.leases.map((status) => status.ID)).toContain(grant.ID);

    const keepAlives = lease.leaseKeepAlive(
      (async function* () {
        yield { ID: grant.ID };
      })(),
      { timeoutMs: STREAM_TIMEOUT_MS },
    );
    const renewals = [];
    for await (const renewal of keepAlives) renewals.push(renewal);
    expect(renewals.map((renewal) => [renewal.ID, renewal.TTL])).toEqual([[grant.ID, 60n]]);

    await lease.leaseRevoke({ ID: grant.ID });
    expect((await kv.range({ key })).count).toBe(0n);
    expect((await lease.leaseTimeToLive({ ID: grant.ID })).TTL).toBe(-1n);
  });

  it("Maintenance Status reports a 3.4 server that leads itself", async () => {
    const status = await createClient(Maintenance, transport).status({});
    expect(status.version).toMatch(/^3\.4\./);
    expect(status.header?.memberId).not.toBe(0n);
    expect(status.leader).toBe(status.header?.memberId);
    expect(status.raftTerm).toBeGreaterThan(0n);
    expect(status.raftAppliedIndex).toBeGreaterThan(0n);
    expect(status.raftIndex).toBeGreaterThanOrEqual(status.raftAppliedIndex);
    expect(status.dbSize).toBeGreaterThan(0n);
    expect(status.dbSizeInUse).toBeGreaterThan(0n);
    expect(status.isLearner).toBe(false);
    expect(status.errors).toEqual([]);
  });

  it("Cluster MemberList lists the one member with its URLs", async () => {
    const list = await createClient(Cluster, transport).memberList({});
    expect(list.members).toHaveLength(1);
    const member = list.members[0];
    expect(member?.ID).toBe(list.header?.memberId);
    expect(member?.name).toBe("kubekit-test");
    expect(member?.clientURLs).toEqual([etcd.endpoint]);
    expect(member?.peerURLs).toEqual([`http://127.0.0.1:${etcd.peerPort}`]);
    expect(member?.isLearner).toBe(false);
  });

  it("etcd's rejection of a bad request arrives as a ConnectError with the gRPC code", async () => {
    const error = await createClient(KV, transport)
      .range({ key: new Uint8Array() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toBe("etcdserver: key is not provided");
  });

  it("etcdctl reads what our client wrote, at the same revision", async () => {
    const put = await createClient(KV, transport).put({
      key: bytes("/interop/ours"),
      value: bytes("from connect"),
    });
    expect(await etcdctl(etcd.endpoint, "get", "/interop/ours", "--print-value-only")).toBe(
      "from connect\n",
    );

    const json = JSON.parse(
      await etcdctl(etcd.endpoint, "get", "/interop/ours", "--write-out=json"),
    ) as {
      kvs: { key: string; mod_revision: number }[];
    };
    expect(json.kvs.map((kv) => Buffer.from(kv.key, "base64").toString())).toEqual([
      "/interop/ours",
    ]);
    expect(BigInt(json.kvs[0]?.mod_revision ?? 0)).toBe(put.header?.revision);
  });

  it("our client reads what etcdctl wrote", async () => {
    expect(await etcdctl(etcd.endpoint, "put", "/interop/theirs", "from etcdctl")).toBe("OK\n");
    const response = await createClient(KV, transport).range({ key: bytes("/interop/theirs") });
    expect(response.kvs.map((kv) => [text(kv.key), text(kv.value), kv.version])).toEqual([
      ["/interop/theirs", "from etcdctl", 1n],
    ]);
  });
});
