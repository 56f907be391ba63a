import { existsSync, readdirSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Snapshotter } from "../../src/durable/snapshotter.js";
import { decodeStoreSnapshot, encodeStoreSnapshot } from "../../src/durable/store-snapshot.js";
import { KvStateMachine } from "../../src/index.js";

const confState = { voters: [1, 2, 3], learners: [] };
const enc = (s: string) => new TextEncoder().encode(s);

describe("Snapshotter", () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await makeTempDir("snap");
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("loads the newest snapshot and keeps only the newest two", () => {
    const snapshotter = new Snapshotter(dir.path);
    for (const index of [10, 20, 30]) {
      snapshotter.save({ metadata: { index, term: 2, confState }, data: enc(`state@${index}`) });
    }
    expect(readdirSync(dir.path)).toHaveLength(2);
    expect(snapshotter.oldestIndex()).toBe(20);
    const newest = snapshotter.loadNewest();
    expect(newest?.metadata).toEqual({ index: 30, term: 2, confState });
    expect(new TextDecoder().decode(newest?.data)).toBe("state@30");
  });

  it("sets a truncated newest snapshot aside and falls back to the one before", () => {
    const snapshotter = new Snapshotter(dir.path);
    snapshotter.save({ metadata: { index: 10, term: 1, confState }, data: enc("older") });
    snapshotter.save({ metadata: { index: 20, term: 1, confState }, data: enc("newer but torn") });
    const newestFile = readdirSync(dir.path).sort().at(-1) as string;
    const path = join(dir.path, newestFile);
    truncateSync(path, statSync(path).size - 5);
    const loaded = snapshotter.loadNewest();
    expect(loaded?.metadata.index).toBe(10);
    expect(existsSync(`${path}.broken`)).toBe(true);
  });

  it("round-trips the whole store state: keys, versions, tombstones, compaction, leases", () => {
    const sm = new KvStateMachine({ minLeaseTtlSeconds: 1 });
    sm.leaseGrant({ $typeName: "etcdserverpb.LeaseGrantRequest", ID: 7n, TTL: 60n }, 0);
    const put = (key: string, value: string, lease = 0n) =>
      sm.put({
        $typeName: "etcdserverpb.PutRequest",
        key: enc(key),
        value: enc(value),
        lease,
        prevKv: false,
        ignoreValue: false,
        ignoreLease: false,
      });
    put("a", "1");
    put("a", "2");
    put("b", "x", 7n);
    sm.deleteRange({
      $typeName: "etcdserverpb.DeleteRangeRequest",
      key: enc("a"),
      rangeEnd: new Uint8Array(),
      prevKv: false,
    });
    sm.compact({ $typeName: "etcdserverpb.CompactionRequest", revision: 3n, physical: false });
    const restored = decodeStoreSnapshot(encodeStoreSnapshot(sm), 1);
    expect(restored.mvcc.exportState()).toEqual(sm.mvcc.exportState());
    expect(restored.lessor.exportState()).toEqual(sm.lessor.exportState());
  });
});
