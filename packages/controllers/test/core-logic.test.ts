import { FakeClock } from "@kubekit/client";
import { describe, expect, it } from "vitest";
import { parseGoDuration } from "../src/command/duration.js";
import { ControllerExpectations } from "../src/common/expectations.js";
import { isPodAvailable } from "../src/common/pod-status.js";
import { slowStartBatch } from "../src/common/slow-start.js";
import type { Pod } from "../src/common/types.js";
import type { ControllerDescriptor } from "../src/controller.js";
import { selectControllers, UnknownControllerError } from "../src/manager/select-controllers.js";
import { podsToDelete } from "../src/replicaset/rank-pods.js";

function pod(
  name: string,
  opts: {
    node?: string;
    phase?: "Pending" | "Running" | "Unknown";
    ready?: boolean;
    restarts?: number;
    created?: string;
    readySince?: string;
  } = {},
): Pod {
  return {
    metadata: { name, creationTimestamp: opts.created ?? "2026-01-01T00:00:00Z" },
    spec: opts.node ? { nodeName: opts.node } : {},
    status: {
      phase: opts.phase ?? "Running",
      conditions: [
        {
          type: "Ready",
          status: opts.ready === false ? "False" : "True",
          lastTransitionTime: opts.readySince ?? "2026-01-01T00:00:10Z",
        },
      ],
      containerStatuses: [{ name: "c", restartCount: opts.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe("scale-down ranking (upstream's ActivePodsWithRanks)", () => {
  it("deletes unassigned, then pending, then not-ready pods first", () => {
    const pods = [
      pod("running-ready", { node: "a" }),
      pod("unassigned", { phase: "Pending" }),
      pod("pending", { node: "b", phase: "Pending" }),
      pod("unknown", { node: "c", phase: "Unknown" }),
      pod("not-ready", { node: "d", ready: false }),
    ];
    expect(names(podsToDelete(pods, 4))).toEqual(["unassigned", "pending", "unknown", "not-ready"]);
  });

  it("prefers doubled-up, more restarted and newer pods among equals", () => {
    const spread = [
      pod("alone", { node: "a" }),
      pod("twin1", { node: "b" }),
      pod("twin2", { node: "b" }),
    ];
    expect(names(podsToDelete(spread, 1))[0]).toMatch(/^twin/);
    const restarts = [pod("calm", { node: "a" }), pod("crashy", { node: "b", restarts: 5 })];
    expect(names(podsToDelete(restarts, 1))).toEqual(["crashy"]);
    const ages = [
      pod("old", { node: "a", created: "2026-01-01T00:00:00Z" }),
      pod("new", { node: "b", created: "2026-01-02T00:00:00Z" }),
    ];
    expect(names(podsToDelete(ages, 1))).toEqual(["new"]);
    const readyFor = [
      pod("long-ready", { node: "a", readySince: "2026-01-01T00:00:00Z" }),
      pod("just-ready", { node: "b", readySince: "2026-01-03T00:00:00Z" }),
    ];
    expect(names(podsToDelete(readyFor, 1))).toEqual(["just-ready"]);
  });
});

describe("availability", () => {
  it("counts a pod available only once ready for minReadySeconds", () => {
    const p = pod("p", { readySince: "2026-01-01T00:00:10Z" });
    const t = Date.parse("2026-01-01T00:00:10Z");
    expect(isPodAvailable(p, 0, t)).toBe(true);
    expect(isPodAvailable(p, 5, t + 4_000)).toBe(false);
    expect(isPodAvailable(p, 5, t + 5_000)).toBe(true);
    expect(isPodAvailable(pod("n", { ready: false }), 0, t)).toBe(false);
  });
});

describe("controller expectations", () => {
  it("holds syncs until every expected creation and deletion is observed, or times out", () => {
    const clock = new FakeClock(0);
    const e = new ControllerExpectations(clock, 1000);
    expect(e.satisfied("ns/rs")).toBe(true);
    e.expectCreations("ns/rs", 2);
    expect(e.satisfied("ns/rs")).toBe(false);
    e.creationObserved("ns/rs");
    expect(e.satisfied("ns/rs")).toBe(false);
    e.creationObserved("ns/rs");
    expect(e.satisfied("ns/rs")).toBe(true);
    e.expectDeletions("ns/rs", ["ns/a", "ns/b"]);
    e.deletionObserved("ns/rs", "ns/a");
    e.deletionObserved("ns/rs", "ns/a"); // the same pod again: counted once
    expect(e.satisfied("ns/rs")).toBe(false);
    clock.step(1001);
    expect(e.satisfied("ns/rs")).toBe(true);
  });
});

describe("slow-start batches", () => {
  it("doubles the batch and stops after the first batch with a failure", async () => {
    let calls = 0;
    const all = await slowStartBatch(10, 1, async () => {
      calls++;
    });
    expect(all).toEqual({ successes: 10, error: undefined });
    calls = 0;
    const failing = await slowStartBatch(10, 1, async () => {
      calls++;
      if (calls === 4) throw new Error("quota");
    });
    // Batches 1, 2, then 4 of which one fails: 7 calls, 6 successes.
    expect(calls).toBe(7);
    expect(failing.successes).toBe(6);
    expect(String(failing.error)).toContain("quota");
  });
});

describe("--controllers", () => {
  const known: ControllerDescriptor[] = [
    { name: "replicaset", enabledByDefault: true, start() {} },
    { name: "deployment", enabledByDefault: true, start() {} },
    { name: "nodeipam", enabledByDefault: false, start() {} },
  ];
  const pick = (flags: string[]) => selectControllers(flags, known).map((c) => c.name);

  it("follows upstream: * = defaults, name enables, -name disables", () => {
    expect(pick(["*"])).toEqual(["replicaset", "deployment"]);
    expect(pick(["*", "nodeipam"])).toEqual(["replicaset", "deployment", "nodeipam"]);
    expect(pick(["*", "-deployment"])).toEqual(["replicaset"]);
    expect(pick(["deployment"])).toEqual(["deployment"]);
    expect(pick([])).toEqual([]);
  });

  it("refuses unknown names", () => {
    expect(() => pick(["*", "-bogus"])).toThrow(UnknownControllerError);
    expect(() => pick(["bogus"])).toThrow(/not in the list of known controllers/);
  });
});

describe("Go durations", () => {
  it("parses what the upstream flags accept", () => {
    expect(parseGoDuration("15s")).toBe(15_000);
    expect(parseGoDuration("1m30s")).toBe(90_000);
    expect(parseGoDuration("250ms")).toBe(250);
    expect(parseGoDuration("1.5h")).toBe(5_400_000);
    expect(parseGoDuration("0")).toBe(0);
    expect(parseGoDuration("15")).toBeUndefined();
    expect(parseGoDuration("s")).toBeUndefined();
    expect(parseGoDuration("10sx")).toBeUndefined();
  });
});
