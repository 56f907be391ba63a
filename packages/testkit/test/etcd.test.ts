import { access } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdStartError, type RunningEtcd, startEtcd } from "../src/index.js";

describe("startEtcd", () => {
  let etcd: RunningEtcd;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it("serves /health on a loopback endpoint with its own data dir", async () => {
    expect(etcd.endpoint).toBe(`http://127.0.0.1:${etcd.clientPort}`);
    expect(etcd.peerPort).not.toBe(etcd.clientPort);
    const response = await fetch(`${etcd.endpoint}/health`);
    expect(await response.json()).toMatchObject({ health: "true" });
    await expect(access(`${etcd.dataDir}/member`)).resolves.toBeUndefined();
  });

  it("stop() ends the process and removes the data dir, and may be called twice", async () => {
    const other = await startEtcd({ name: "second" });
    await other.stop();
    await other.stop();
    await expect(access(other.dataDir)).rejects.toThrow();
    await expect(fetch(`${other.endpoint}/health`)).rejects.toThrow();
  });

  it("throws an EtcdStartError naming a missing binary", async () => {
    const attempt = startEtcd({ binary: "/nonexistent/etcd" });
    await expect(attempt).rejects.toBeInstanceOf(EtcdStartError);
    await expect(attempt).rejects.toThrow(/not found/);
  });

  it("throws with etcd's own output when etcd exits early", async () => {
    const attempt = startEtcd({ extraArgs: ["--no-such-flag"] });
    await expect(attempt).rejects.toThrow(/exited before it was healthy[\s\S]*no-such-flag/);
  });

  it("throws when etcd is not healthy within the timeout, and cleans up", async () => {
    const attempt = startEtcd({ startTimeoutMs: 1 });
    await expect(attempt).rejects.toThrow(/did not report healthy .* within 1 ms/);
  });
});
