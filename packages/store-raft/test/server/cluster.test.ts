import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { KV, Maintenance } from "@kubekit/proto/etcd";
import { eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type StoreMember, type StoreMemberOptions, startStoreMember } from "../../src/index.js";
import { withRetries } from "../support/retry.js";

/**
 * A 3-member Raft store in one process, each member with its own data dir,
 * peer port and client port on loopback: replication, linearizable reads on
 * followers, leader loss, and a restart that recovers from disk and
 * catches up.
 */

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe("a 3-member store-raft cluster", () => {
  const dirs: TempDir[] = [];
  const running = new Map<string, StoreMember>();

  afterEach(async () => {
    await Promise.all([...running.values()].map((m) => m.close()));
    running.clear();
    await Promise.all(dirs.map((d) => d.remove()));
    dirs.length = 0;
  });

  it("replicates writes, survives losing its leader, and a restarted member catches up", {
    timeout: 180_000,
  }, async () => {
    const names = ["s1", "s2", "s3"];
    const peerPorts = await Promise.all(names.map(() => freePort()));
    const clientPorts = await Promise.all(names.map(() => freePort()));
    const initialCluster = names.map((name, i) => ({
      name,
      peerUrl: `http://127.0.0.1:${peerPorts[i]}`,
    }));
    const optionsFor = async (i: number): Promise<StoreMemberOptions> => {
      if (!dirs[i]) dirs[i] = await makeTempDir(`store-${names[i]}`);
      return {
        name: names[i] as string,
        dataDir: (dirs[i] as TempDir).path,
        initialCluster,
        clientListen: [{ host: "127.0.0.1", port: clientPorts[i] as number }],
        peerListen: { host: "127.0.0.1", port: peerPorts[i] as number },
        heartbeatMs: 50,
        electionMs: 1000,
        snapshotCount: 50,
        catchUpEntries: 10,
      };
    };
    for (let i = 0; i < 3; i++)
      running.set(names[i] as string, await startStoreMember(await optionsFor(i)));
    const kvOf = (i: number) =>
      createClient(KV, createGrpcTransport({ baseUrl: `http://127.0.0.1:${clientPorts[i]}` }));
    const statusOf = (i: number) =>
      createClient(
        Maintenance,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${clientPorts[i]}` }),
      );

    const leaderId = await eventually("a leader", async () => {
      const status = await statusOf(0).status({});
      return status.leader === 0n ? undefined : status.leader;
    });
    // A write through any member, read back linearizably through the others.
    await withRetries(() => kvOf(1).put({ key: enc("/a"), value: enc("1") }));
    for (const i of [0, 2]) {
      expect(dec((await kvOf(i).range({ key: enc("/a") })).kvs[0]?.value)).toBe("1");
    }
    // Enough writes to pass the snapshot threshold and compact the log.
    for (let n = 0; n < 120; n++)
      await withRetries(() => kvOf(n % 3).put({ key: enc(`/bulk/${n}`), value: enc(String(n)) }));

    // Lose the leader.
    const leaderIndex = names.findIndex(
      (name) => running.get(name)?.replicator.memberId === leaderId,
    );
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const leaderName = names[leaderIndex] as string;
    await running.get(leaderName)?.close();
    running.delete(leaderName);
    const survivors = [0, 1, 2].filter((i) => i !== leaderIndex);
    const newLeader = await eventually("a new leader", async () => {
      const status = await statusOf(survivors[0] as number).status({});
      return status.leader !== 0n && status.leader !== leaderId ? status.leader : undefined;
    });
    expect(newLeader).not.toBe(leaderId);
    await eventually("a write without the old leader", async () => {
      await kvOf(survivors[1] as number).put(
        { key: enc("/after"), value: enc("2") },
        { timeoutMs: 3000 },
      );
      return true;
    });

    // While it is down, enough writes that the leader compacts past it: it
    // can only catch up from a snapshot sent over the peer transport.
    for (let n = 0; n < 80; n++) {
      await withRetries(() =>
        kvOf(survivors[n % 2] as number).put({ key: enc(`/down/${n}`), value: enc(String(n)) }),
      );
    }

    // The old leader restarts from its data dir and catches up.
    const restartLog: string[] = [];
    running.set(
      leaderName,
      await startStoreMember({
        ...(await optionsFor(leaderIndex)),
        log: (_level, message) => restartLog.push(message),
      }),
    );
    const caughtUp = await eventually("the restarted member to catch up", async () => {
      const response = await kvOf(leaderIndex).range({ key: enc("/after") });
      return response.kvs.length === 1 ? response : undefined;
    });
    expect(dec(caughtUp.kvs[0]?.value)).toBe("2");
    const bulk = await kvOf(leaderIndex).range({
      key: enc("/bulk/"),
      rangeEnd: enc("/bulk0"),
      countOnly: true,
    });
    expect(bulk.count).toBe(120n);
    const down = await kvOf(leaderIndex).range({
      key: enc("/down/"),
      rangeEnd: enc("/down0"),
      countOnly: true,
    });
    expect(down.count).toBe(80n);
    expect(restartLog).toContain("store: recovered from disk");
    expect(restartLog).toContain("store: installed a snapshot from the leader");
    // Every member agrees on the revision.
    const revisions = await Promise.all(
      [0, 1, 2].map(async (i) => (await kvOf(i).range({ key: enc("/a") })).header?.revision),
    );
    expect(new Set(revisions).size).toBe(1);
  });

  it("comes back whole when every member restarts from its data dir", {
    timeout: 120_000,
  }, async () => {
    const names = ["r1", "r2", "r3"];
    const peerPorts = await Promise.all(names.map(() => freePort()));
    const clientPorts = await Promise.all(names.map(() => freePort()));
    const initialCluster = names.map((name, i) => ({
      name,
      peerUrl: `http://127.0.0.1:${peerPorts[i]}`,
    }));
    const memberDirs = await Promise.all(names.map((n) => makeTempDir(`store-${n}`)));
    dirs.push(...memberDirs);
    const optionsFor = (i: number): StoreMemberOptions => ({
      name: names[i] as string,
      dataDir: (memberDirs[i] as TempDir).path,
      initialCluster,
      clientListen: [{ host: "127.0.0.1", port: clientPorts[i] as number }],
      peerListen: { host: "127.0.0.1", port: peerPorts[i] as number },
      heartbeatMs: 50,
      electionMs: 1000,
      snapshotCount: 20,
    });
    const startAll = async () => {
      for (let i = 0; i < 3; i++)
        running.set(names[i] as string, await startStoreMember(optionsFor(i)));
    };
    const kvOf = (i: number) =>
      createClient(KV, createGrpcTransport({ baseUrl: `http://127.0.0.1:${clientPorts[i]}` }));
    await startAll();
    await eventually("the first write", async () => {
      await withRetries(() =>
        kvOf(0).put({ key: enc("/r/0"), value: enc("0") }, { timeoutMs: 3000 }),
      );
      return true;
    });
    for (let n = 1; n < 50; n++)
      await withRetries(() => kvOf(n % 3).put({ key: enc(`/r/${n}`), value: enc(String(n)) }));
    const before = await kvOf(0).range({ key: enc("/r/"), rangeEnd: enc("/r0") });

    await Promise.all([...running.values()].map((m) => m.close()));
    running.clear();
    await startAll();

    const after = await eventually("the restarted cluster to serve reads", async () =>
      kvOf(2).range({ key: enc("/r/"), rangeEnd: enc("/r0") }, { timeoutMs: 3000 }),
    );
    expect(after.count).toBe(50n);
    expect(after.kvs.map((kv) => [dec(kv.key), dec(kv.value), kv.modRevision])).toEqual(
      before.kvs.map((kv) => [dec(kv.key), dec(kv.value), kv.modRevision]),
    );
    // And it takes new writes.
    await eventually("a write after the restart", async () => {
      await withRetries(() =>
        kvOf(1).put({ key: enc("/r/after"), value: enc("yes") }, { timeoutMs: 3000 }),
      );
      return true;
    });
  });
});
