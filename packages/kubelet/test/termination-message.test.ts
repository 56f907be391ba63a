import { writeFile } from "node:fs/promises";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { criLogTail, readTerminationMessage } from "../src/runtime/termination-message.js";

describe("termination messages", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("kubelet-termination");
  });
  afterAll(async () => {
    await dir.remove();
  });

  it("reads CRI log lines, joining partial ones and keeping the last N", () => {
    const log = [
      "2026-01-01T00:00:00.000000000Z stdout F one",
      "2026-01-01T00:00:00.100000000Z stderr P tw",
      "2026-01-01T00:00:00.200000000Z stderr F o",
      "2026-01-01T00:00:00.300000000Z stdout F three",
      "",
    ].join("\n");
    expect(criLogTail(log, 10)).toBe("one\ntwo\nthree\n");
    expect(criLogTail(log, 2)).toBe("two\nthree\n");
  });

  it.each([
    ["File", "written", 1, "written"],
    ["File", "", 1, ""],
    ["FallbackToLogsOnError", "", 1, "a\nb\nc\n"],
    ["FallbackToLogsOnError", "", 0, ""], // success: no fallback
    ["FallbackToLogsOnError", "written", 1, "written"],
  ] as const)("policy %s, file %j, exit %s → %j", async (policy, written, exitCode, message) => {
    const messageFile = `${dir.path}/msg-${policy}-${written}-${exitCode}`;
    const logFile = `${dir.path}/log`;
    await writeFile(messageFile, written);
    await writeFile(logFile, "t stdout F a\nt stdout F b\nt stderr F c\n");
    const container = { name: "c", image: "i", terminationMessagePolicy: policy };
    expect(await readTerminationMessage(container, messageFile, logFile, exitCode)).toBe(message);
  });

  it("reads at most 4096 bytes of the file, and nothing for a missing one", async () => {
    const messageFile = `${dir.path}/big`;
    await writeFile(messageFile, "x".repeat(10_000));
    const container = { name: "c", image: "i" };
    expect((await readTerminationMessage(container, messageFile, "/nonexistent", 1)).length).toBe(
      4096,
    );
    expect(await readTerminationMessage(container, `${dir.path}/absent`, "/nonexistent", 1)).toBe(
      "",
    );
  });
});
