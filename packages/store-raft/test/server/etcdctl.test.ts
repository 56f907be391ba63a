import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type ListeningStore, type Store } from "../../src/index.js";

/**
 * Black-box: Debian's etcdctl (etcd 3.4's client, unchanged) against an
 * embedded store served on a loopback port.
 */

const run = promisify(execFile);

describe("etcdctl against store-raft", () => {
  let store: Store;
  let listener: ListeningStore;
  // etcdctl 3.4 dials `endpoint status` targets as given, so an http://
  // endpoint becomes the HTTP/2 :authority "http://host:port", which Node's
  // HTTP/2 server (nghttp2) rejects as malformed; etcd's Go server lets it
  // through. Plain host:port endpoints work for every command.
  const endpoint = () => listener.url.replace(/^http:\/\//, "");
  const etcdctl = async (args: string[], input?: string) => {
    const child = run("etcdctl", [`--endpoints=${endpoint()}`, "--command-timeout=5s", ...args], {
      env: { ...process.env, ETCDCTL_API: "3" },
      timeout: 15_000,
    });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    return (await child).stdout;
  };

  beforeAll(async () => {
    store = createStore({ name: "s1", minLeaseTtlSeconds: 1 });
    listener = await store.listen(0);
  });

  afterAll(async () => {
    await listener?.close();
    await store?.close();
  });

  it("puts, gets by prefix and at a past revision, and deletes", async () => {
    expect(await etcdctl(["put", "/app/a", "one"])).toBe("OK\n");
    await etcdctl(["put", "/app/b", "two"]);
    await etcdctl(["put", "/app/a", "uno"]);
    expect(await etcdctl(["get", "--prefix", "/app/"])).toBe("/app/a\nuno\n/app/b\ntwo\n");
    const status = JSON.parse(await etcdctl(["get", "/app/a", "-w", "json"]));
    const revision = Number(status.kvs[0].mod_revision);
    expect(await etcdctl(["get", "/app/a", `--rev=${revision - 2}`, "--print-value-only"])).toBe(
      "one\n",
    );
    expect(await etcdctl(["del", "--prefix", "/app/"])).toBe("2\n");
    expect(await etcdctl(["get", "--prefix", "/app/"])).toBe("");
  });

  it("runs a transaction typed on stdin", async () => {
    await etcdctl(["put", "/txn/k", "v1"]);
    // compares, blank line, success ops, blank line, failure ops
    const out = await etcdctl(["txn"], 'value("/txn/k") = "v1"\n\nput /txn/k v2\n\nget /txn/k\n\n');
    expect(out).toBe("SUCCESS\n\nOK\n");
    expect(await etcdctl(["get", "/txn/k", "--print-value-only"])).toBe("v2\n");
    const failed = await etcdctl(
      ["txn"],
      'value("/txn/k") = "nope"\n\nput /txn/k v3\n\nget /txn/k\n\n',
    );
    expect(failed).toBe("FAILURE\n\n/txn/k\nv2\n");
  });

  it("watches, receiving what another client writes", async () => {
    const watcher: ChildProcess = spawn(
      "etcdctl",
      [`--endpoints=${endpoint()}`, "watch", "--prefix", "/w/"],
      {
        env: { ...process.env, ETCDCTL_API: "3" },
      },
    );
    let output = "";
    watcher.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    try {
      // Writes until the watcher has seen one (it may not be subscribed yet).
      for (let i = 0; i < 50 && !output.includes("/w/key"); i++) {
        await etcdctl(["put", "/w/key", `value-${i}`]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toMatch(/^PUT\n\/w\/key\nvalue-\d+\n/);
    } finally {
      watcher.kill();
    }
  });

  it("grants, keeps alive, inspects and revokes a lease, deleting its keys", async () => {
    const grant = await etcdctl(["lease", "grant", "60"]);
    const id = /lease ([0-9a-f]+) granted with TTL\(60s\)/.exec(grant)?.[1];
    expect(id).toBeDefined();
    await etcdctl(["put", "/leased", "x", `--lease=${id}`]);
    expect(await etcdctl(["lease", "keep-alive", "--once", id as string])).toMatch(
      new RegExp(`lease ${id} keepalived with TTL\\(60\\)`),
    );
    const ttl = await etcdctl(["lease", "timetolive", "--keys", id as string]);
    expect(ttl).toMatch(
      new RegExp(
        `lease ${id} granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[/leased\\]\\)`,
      ),
    );
    expect(await etcdctl(["lease", "list"])).toContain(id as string);
    expect(await etcdctl(["lease", "revoke", id as string])).toBe(`lease ${id} revoked\n`);
    expect(await etcdctl(["get", "/leased"])).toBe("");
  });

  it("expires a lease and deletes its keys on its own", async () => {
    const grant = await etcdctl(["lease", "grant", "1"]);
    const id = /lease ([0-9a-f]+) granted/.exec(grant)?.[1] as string;
    await etcdctl(["put", "/ephemeral", "x", `--lease=${id}`]);
    let value = "x";
    for (let i = 0; i < 40 && value !== ""; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      value = await etcdctl(["get", "/ephemeral", "--print-value-only"]);
    }
    expect(value).toBe("");
  });

  it("lists members and reports endpoint status", async () => {
    const members = await etcdctl(["member", "list", "-w", "json"]);
    expect(JSON.parse(members).members.map((m: { name: string }) => m.name)).toEqual(["s1"]);
    const status = JSON.parse(await etcdctl(["endpoint", "status", "-w", "json"]));
    expect(status[0].Status.version).toMatch(/^3\.4\./);
    expect(status[0].Status.leader).toBe(status[0].Status.header.member_id);
    // etcdctl 3.4 prints the health verdict on stderr.
    const health = await run("etcdctl", [`--endpoints=${endpoint()}`, "endpoint", "health"], {
      env: { ...process.env, ETCDCTL_API: "3" },
    });
    expect(health.stderr).toMatch(/is healthy: successfully committed proposal/);
  });

  it("reports etcd's errors for bad requests", async () => {
    const failure = await etcdctl(["get", "/x", "--rev=999999"]).then(
      () => "no error",
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain("etcdserver: mvcc: required revision is a future revision");
    const leaseFailure = await etcdctl(["put", "/x", "y", "--lease=abc123"]).then(
      () => "no error",
      (error: { stderr: string }) => error.stderr,
    );
    expect(leaseFailure).toContain("etcdserver: requested lease not found");
  });
});
