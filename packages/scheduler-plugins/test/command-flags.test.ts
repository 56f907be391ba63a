import { describe, expect, it } from "vitest";
import { collectList, parseDurationMs } from "../src/command/flags.js";
import type { Pod } from "../src/index.js";
import { failedSchedulingStatusPatch, truncateEventMessage } from "../src/runner/pod-status.js";

describe("Go durations", () => {
  it("reads upstream's flag values", () => {
    expect(parseDurationMs("15s")).toBe(15_000);
    expect(parseDurationMs("1m30s")).toBe(90_000);
    expect(parseDurationMs("500ms")).toBe(500);
    expect(parseDurationMs("1.5s")).toBe(1500);
    expect(() => parseDurationMs("")).toThrow(/invalid duration/);
    expect(() => parseDurationMs("10")).toThrow(/invalid duration/);
    expect(() => parseDurationMs("5s junk")).toThrow(/invalid duration/);
  });

  it("collects repeated comma-separated lists", () => {
    expect(collectList("b, c", collectList("a"))).toEqual(["a", "b", "c"]);
  });
});

const pending = (status?: Pod["status"]): Pod => ({
  metadata: { name: "p", namespace: "ns" },
  spec: { containers: [] },
  ...(status ? { status } : {}),
});
const now = new Date("2026-01-02T03:04:05.678Z");

describe("the PodScheduled=False write-back", () => {
  it("sets the condition with upstream's reason and the FailedScheduling message", () => {
    expect(failedSchedulingStatusPatch(pending(), "Unschedulable", "0/1 nodes", now)).toEqual({
      status: {
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/1 nodes",
            lastProbeTime: null,
            lastTransitionTime: "2026-01-02T03:04:05Z",
          },
        ],
      },
    });
  });

  it("writes nothing when the stored condition already says the same, as upstream skips the update", () => {
    const already = pending({
      conditions: [
        { type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/1 nodes" },
      ],
    });
    expect(failedSchedulingStatusPatch(already, "Unschedulable", "0/1 nodes", now)).toBeUndefined();
    // ...but a new nomination is written, keeping other conditions.
    const patch = failedSchedulingStatusPatch(
      {
        ...already,
        status: {
          conditions: [...(already.status?.conditions ?? []), { type: "Other", status: "True" }],
        },
      },
      "Unschedulable",
      "0/1 nodes",
      now,
      "n1",
    );
    expect(patch?.status.nominatedNodeName).toBe("n1");
    expect((patch!.status.conditions as { type: string }[]).map((c) => c.type)).toEqual([
      "Other",
      "PodScheduled",
    ]);
  });

  it("cuts event messages at upstream's 1024 characters", () => {
    expect(truncateEventMessage("x".repeat(1024))).toHaveLength(1024);
    const cut = truncateEventMessage("y".repeat(2000));
    expect(cut).toHaveLength(1024);
    expect(cut.endsWith("...")).toBe(true);
  });
});
