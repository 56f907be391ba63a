import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `kubekit store` as an operator runs it: three processes on loopback,
 * driven by Debian's etcdctl. The leader is killed with SIGKILL; the other
 * two keep serving writes; the killed member restarts from its data dir
 * and catches up.
 */

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../bin/kubekit.js", import.meta.url));

describe("kubekit store: a 3-process cluster", () => {
  const names = ["s1", "s2", "s3"];
  const processes = new Map<string, ChildProcess>();
  const logs = new Map<string, string>();
  let dirs: TempDir[] = [];

  afterAll(async () => {
    for (const child of processes.values()) child.kill("SIGKILL");
    await Promise.all(dirs.map((d) => d.remove()));
  });

  it("serves etcdctl, survives kill -9 of its leader, and the leader catches up on restart", async () => {
    const peer = await Promise.all(names.map(() => freePort()));
    const client = await Promise.all(names.map(() => freePort()));
    dirs = await Promise.all(names.map((n) => makeTempDir(`store-${n}`)));
    const cluster = names.map((n, i) => `${n}=http://127.0.0.1:${peer[i]}`).join(",");
    const endpoint = (i: number) => `127.0.0.1:${client[i]}`;
    const startMember = (i: number) => {
      const name = names[i] as string;
      const child = spawn(
        process.execPath,
        [
          bin,
          "store",
          `--name=${name}`,
          `--data-dir=${dirs[i]?.path}`,
          `--listen-client-urls=http://127.0.0.1:${client[i]}`,
          `--listen-peer-urls=http://127.0.0.1:${peer[i]}`,
          `--initial-cluster=${cluster}`,
          "--heartbeat-interval=100",
          "--election-timeout=1000",
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      logs.set(name, "");
      child.stderr?.on("data", (chunk) => logs.set(name, (logs.get(name) ?? "") + String(chunk)));
      processes.set(name, child);
    };
    const etcdctl = async (i: number, ...args: string[]) =>
      (
        await run("etcdctl", [`--endpoints=${endpoint(i)}`, "--command-timeout=3s", ...args], {
          env: { ...process.env, ETCDCTL_API: "3" },
        })
      ).stdout;

    for (let i = 0; i < names.length; i++) startMember(i);
    await eventually(
      "the cluster to accept a write",
      async () => (await etcdctl(0, "put", "/k", "v1")) === "OK\n" || undefined,
    );
    expect(await etcdctl(2, "get", "/k", "--print-value-only")).toBe("v1\n");
    const members = JSON.parse(await etcdctl(1, "member", "list", "-w", "json"));
    expect(members.members.map((m: { name: string }) => m.name).sort()).toEqual(names);

    const status = JSON.parse(await etcdctl(0, "endpoint", "status", "-w", "json"));
    const leaderId: string = String(status[0].Status.leader);
    const leaderIndex = await eventually("the leader's endpoint", async () => {
      for (let i = 0; i < 3; i++) {
        const s = JSON.parse(await etcdctl(i, "endpoint", "status", "-w", "json"));
        if (String(s[0].Status.header.member_id) === leaderId) return i;
      }
      return undefined;
    });
    const leaderName = names[leaderIndex] as string;
    processes.get(leaderName)?.kill("SIGKILL");
    const survivors = [0, 1, 2].filter((i) => i !== leaderIndex);
    const killedAt = Date.now();
    await eventually(
      "a write after the leader died",
      async () =>
        (await etcdctl(survivors[0] as number, "put", "/k", "v2")) === "OK\n" || undefined,
    );
    const recoveryMs = Date.now() - killedAt;
    expect(recoveryMs).toBeLessThan(20_000);
    expect(await etcdctl(survivors[1] as number, "get", "/k", "--print-value-only")).toBe("v2\n");

    startMember(leaderIndex);
    await eventually(
      "the restarted member to catch up",
      async () =>
        (await etcdctl(leaderIndex, "get", "/k", "--print-value-only")) === "v2\n" || undefined,
    );
    expect(logs.get(leaderName)).toContain("recovered from disk");

    // SIGTERM stops a member cleanly.
    const stopping = processes.get(names[survivors[0] as number] as string);
    const exited = new Promise<number | null>((resolve) =>
      stopping?.once("exit", (code) => resolve(code)),
    );
    stopping?.kill("SIGTERM");
    expect(await exited).toBe(0);
    // ...and its peers live on (its connections close without bringing them down).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const others = names.filter((n) => processes.get(n) !== stopping).map((n) => processes.get(n));
    expect(others.map((child) => child?.exitCode ?? child?.signalCode ?? null)).toEqual([
      null,
      null,
    ]);
  });
});
