import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { KV } from "@kubekit/proto/etcd";
import { eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type StoreMember, type StoreMemberOptions, startStoreMember } from "../../src/index.js";
import { withRetries } from "../support/retry.js";

/**
 * Membership changes driven by etcdctl: a learner is added and started
 * with --initial-cluster-state existing, catches up from the leader,
 * is promoted to voter, and a member is removed; writes go on throughout.
 */

const run = promisify(execFile);

describe("store-raft membership changes", () => {
  const dirs: TempDir[] = [];
  const running: StoreMember[] = [];

  afterEach(async () => {
    await Promise.all(running.map((m) => m.close()));
    await Promise.all(dirs.map((d) => d.remove()));
  });

  it("adds a learner, promotes it, and removes a member, all through etcdctl", {
    timeout: 150_000,
  }, async () => {
    const names = ["m1", "m2", "m3", "m4"];
    const peer = await Promise.all(names.map(() => freePort()));
    const client = await Promise.all(names.map(() => freePort()));
    for (const name of names) dirs.push(await makeTempDir(`member-${name}`));
    const peerUrl = (i: number) => `http://127.0.0.1:${peer[i]}`;
    const options = (i: number, count: number, state: "new" | "existing"): StoreMemberOptions => ({
      name: names[i] as string,
      dataDir: (dirs[i] as TempDir).path,
      initialCluster: names.slice(0, count).map((name, j) => ({ name, peerUrl: peerUrl(j) })),
      initialClusterState: state,
      clientListen: [{ host: "127.0.0.1", port: client[i] as number }],
      advertiseClientUrls: [`http://127.0.0.1:${client[i]}`],
      peerListen: { host: "127.0.0.1", port: peer[i] as number },
      heartbeatMs: 50,
      electionMs: 1000,
      snapshotCount: 30,
      ...(process.env.DEBUG_MEMBERSHIP
        ? {
            log: (l: string, m: string, f?: object) =>
              console.log(names[i], l, m, JSON.stringify(f ?? {})),
          }
        : {}),
    });
    const etcdctl = async (i: number, ...args: string[]) =>
      (
        await run(
          "etcdctl",
          [`--endpoints=127.0.0.1:${client[i]}`, "--command-timeout=15s", ...args],
          {
            env: { ...process.env, ETCDCTL_API: "3" },
          },
        )
      ).stdout;

    const kvOf = (i: number) =>
      createClient(KV, createGrpcTransport({ baseUrl: `http://127.0.0.1:${client[i]}` }));
    for (let i = 0; i < 3; i++) running.push(await startStoreMember(options(i, 3, "new")));
    await eventually(
      "the first write",
      async () => (await etcdctl(0, "put", "/k0", "v")) === "OK\n" || undefined,
    );
    // Bulk writes through a Connect client (spawning etcdctl for each is slow).
    for (let n = 1; n < 60; n++) {
      await withRetries(() =>
        kvOf(n % 3).put({
          key: new TextEncoder().encode(`/k${n}`),
          value: new TextEncoder().encode("v"),
        }),
      );
    }

    // Add m4 as a learner, then start it; it gets the state from the leader.
    const added = await etcdctl(0, "member", "add", "m4", `--peer-urls=${peerUrl(3)}`, "--learner");
    expect(added).toMatch(/Member\s+[0-9a-f]+ added to cluster/);
    const learnerId = /Member\s+([0-9a-f]+) added/.exec(added)?.[1] as string;
    running.push(await startStoreMember(options(3, 4, "existing")));
    await eventually("the learner to catch up", async () => {
      const out = await etcdctl(3, "get", "/k59", "--consistency=s", "--print-value-only");
      return out === "v\n" || undefined;
    });
    const listed = JSON.parse(await etcdctl(1, "member", "list", "-w", "json"));
    expect(listed.members).toHaveLength(4);
    expect(listed.members.find((m: { isLearner?: boolean }) => m.isLearner)).toBeDefined();

    // Promote it to a voter.
    expect(await etcdctl(0, "member", "promote", learnerId)).toMatch(/promoted/);
    const afterPromote = JSON.parse(await etcdctl(2, "member", "list", "-w", "json"));
    expect(afterPromote.members.filter((m: { isLearner?: boolean }) => m.isLearner)).toHaveLength(
      0,
    );
    // Promoting again is refused as etcd refuses it.
    const again = await etcdctl(0, "member", "promote", learnerId).then(
      () => "no error",
      (error: { stderr: string }) => error.stderr,
    );
    expect(again).toContain("can only promote a learner member");

    // Remove m3; the remaining three keep taking writes.
    const m3 = afterPromote.members.find((m: { name: string }) => m.name === "m3");
    const m3Hex = BigInt(m3.ID).toString(16);
    expect(await etcdctl(0, "member", "remove", m3Hex)).toMatch(/removed from cluster/);
    const afterRemove = JSON.parse(await etcdctl(3, "member", "list", "-w", "json"));
    expect(afterRemove.members.map((m: { name: string }) => m.name).sort()).toEqual([
      "m1",
      "m2",
      "m4",
    ]);
    await eventually(
      "a write after the removal",
      async () => (await etcdctl(3, "put", "/after", "yes")) === "OK\n" || undefined,
    );
    expect(await etcdctl(1, "get", "/after", "--print-value-only")).toBe("yes\n");
  });
});
