import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { eventually, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectl } from "./kubectl.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("node dist/main.js", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("local-cluster-main");
  });
  afterAll(() => dir.remove());

  it("prints the kubectl line, serves kubectl, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [main, dir.path], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, "exit");
    try {
      const kubeconfig = await eventually(
        "the kubectl line",
        async () => /kubectl --kubeconfig (\S+) get nodes/.exec(stdout)?.[1],
        { timeoutMs: 60_000 },
      );
      const nodes = await eventually("the node registered", async () => {
        const out = await kubectl(kubeconfig, ["get", "nodes", "-o", "name"]);
        return out.trim() === "" ? undefined : out.trim();
      });
      expect(nodes).toBe("node/local");
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await exited;
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("stopped\n");
  }, 120_000);
});
