import { describe, expect, it } from "vitest";
import type { Pod, PodDisruptionBudget } from "../../src/api/types.js";
import { seededRandom } from "../../src/framework/handle.js";
import {
  type Candidate,
  pickOneCandidate,
} from "../../src/plugins/default-preemption/candidates.js";
import { numCandidates, validateArgs } from "../../src/plugins/default-preemption/index.js";
import { KubeScheduler, type SchedulerEvent } from "../../src/scheduler/kube-scheduler.js";
import { FakeClock, node, onNode, RecordingBinder, requesting } from "../fixtures.js";

function withPriority(
  p: Pod,
  priority: number,
  startTime?: string,
  labels?: Record<string, string>,
): Pod {
  return {
    ...p,
    metadata: { ...p.metadata, ...(labels ? { labels } : {}) },
    spec: { ...p.spec, priority },
    status: { ...p.status, ...(startTime ? { startTime } : {}) },
  };
}

function setup(pdbs: PodDisruptionBudget[] = []) {
  const clock = new FakeClock();
  const binder = new RecordingBinder();
  const events: SchedulerEvent[] = [];
  const deleted: string[] = [];
  const scheduler: KubeScheduler = new KubeScheduler({
    binder,
    clock,
    random: seededRandom(1),
    pdbs: { list: () => pdbs },
    podDeleter: {
      async deletePod(p) {
        deleted.push(p.metadata.name);
        scheduler.onPodDelete(p); // the informer reports the deletion
      },
    },
    onEvent: (e) => events.push(e),
  });
  const drain = async () => {
    for (;;) {
      const { attempted, binding } = await scheduler.scheduleNext();
      if (!attempted) return;
      await binding;
    }
  };
  return { clock, binder, events, deleted, scheduler, drain };
}

const last = (events: SchedulerEvent[]) => events[events.length - 1];

describe("DefaultPreemption", () => {
  it("evicts the fewest, least important pods and nominates the node", async () => {
    const { scheduler, deleted, events, binder, clock, drain } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "2" }));
    scheduler.onNodeAdd(node("n2", { cpu: "2" }));
    scheduler.onPodAdd(
      onNode(withPriority(requesting("low1", { cpu: "1" }), 1, "2026-01-01T00:00:00Z"), "n1"),
    );
    scheduler.onPodAdd(
      onNode(withPriority(requesting("low2", { cpu: "1" }), 1, "2026-01-02T00:00:00Z"), "n1"),
    );
    scheduler.onPodAdd(onNode(withPriority(requesting("mid", { cpu: "2" }), 50), "n2"));
    scheduler.onPodAdd(withPriority(requesting("high", { cpu: "1" }), 100));
    await drain();
    // n1 needs one low-priority victim (the one that started later); n2 would lose a priority-50 pod.
    expect(deleted).toEqual(["low2"]);
    expect(last(events)).toMatchObject({ type: "FailedScheduling", nominatedNodeName: "n1" });
    expect(scheduler.queue.nominatedPodsForNode("n1").map((p) => p.metadata.name)).toEqual([
      "high",
    ]);
    clock.advance(1000);
    scheduler.flushQueues();
    await drain();
    expect(binder.bindings).toEqual([["high", "n1"]]);
  });

  it("prefers a node whose victims are not protected by a PodDisruptionBudget", async () => {
    const pdb: PodDisruptionBudget = {
      metadata: { name: "a", namespace: "default" },
      spec: { selector: { matchLabels: { app: "a" } } },
      status: { disruptionsAllowed: 0 },
    };
    const { scheduler, deleted, drain } = setup([pdb]);
    scheduler.onNodeAdd(node("n1", { cpu: "2" }));
    scheduler.onNodeAdd(node("n2", { cpu: "2" }));
    scheduler.onPodAdd(
      onNode(
        withPriority(requesting("a1", { cpu: "1" }), 1, "2026-01-01T00:00:00Z", { app: "a" }),
        "n1",
      ),
    );
    scheduler.onPodAdd(
      onNode(
        withPriority(requesting("a2", { cpu: "1" }), 1, "2026-01-02T00:00:00Z", { app: "a" }),
        "n1",
      ),
    );
    scheduler.onPodAdd(
      onNode(withPriority(requesting("b", { cpu: "2" }), 1, undefined, { app: "b" }), "n2"),
    );
    scheduler.onPodAdd(withPriority(requesting("high", { cpu: "1" }), 100));
    await drain();
    expect(deleted).toEqual(["b"]);
  });

  it("says when preemption cannot help, in upstream's words", async () => {
    const { scheduler, events, deleted, drain } = setup();
    scheduler.onNodeAdd(node("tainted", { taints: [{ key: "k", effect: "NoSchedule" }] }));
    scheduler.onNodeAdd(node("full", { cpu: "1" }));
    scheduler.onPodAdd(onNode(withPriority(requesting("important", { cpu: "1" }), 1000), "full"));
    scheduler.onPodAdd(withPriority(requesting("p", { cpu: "1" }), 10));
    await drain();
    expect(deleted).toEqual([]);
    expect(last(events)?.message).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..",
    );
  });

  it("does not preempt for pods with preemptionPolicy Never", async () => {
    const { scheduler, events, deleted, drain } = setup();
    scheduler.onNodeAdd(node("n", { cpu: "1" }));
    scheduler.onPodAdd(onNode(withPriority(requesting("low", { cpu: "1" }), 0), "n"));
    scheduler.onPodAdd(
      withPriority(requesting("p", { cpu: "1" }, { preemptionPolicy: "Never" }), 10),
    );
    await drain();
    expect(deleted).toEqual([]);
    expect(last(events)?.message).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..",
    );
  });
});

describe("pickOneCandidate", () => {
  const victim = (name: string, priority: number, startTime = "2026-01-01T00:00:00Z") =>
    withPriority(requesting(name, {}), priority, startTime);
  const c = (nodeName: string, victims: Pod[], numPdbViolations = 0): Candidate => ({
    nodeName,
    victims,
    numPdbViolations,
  });
  it.each<[string, Candidate[], string]>([
    ["fewest PDB violations", [c("a", [victim("x", 1)], 1), c("b", [victim("y", 5)], 0)], "b"],
    [
      "lowest highest priority",
      [c("a", [victim("x", 5)]), c("b", [victim("y", 1), victim("z", 4)])],
      "b",
    ],
    [
      "lowest priority sum",
      [c("a", [victim("x", 3), victim("w", 3)]), c("b", [victim("y", 3), victim("z", 1)])],
      "b",
    ],
    ["fewest victims", [c("a", [victim("x", 1), victim("w", 1)]), c("b", [victim("y", 2)])], "a"],
    [
      "fewest victims at equal sums",
      [c("a", [victim("x", -1), victim("w", 1)]), c("b", [victim("y", 1)])],
      "b",
    ],
    [
      "latest start of the most important victims",
      [
        c("a", [victim("x", 1, "2026-01-01T00:00:00Z")]),
        c("b", [victim("y", 1, "2026-03-01T00:00:00Z")]),
      ],
      "b",
    ],
    ["first when all equal", [c("a", [victim("x", 1)]), c("b", [victim("y", 1)])], "a"],
  ])("%s", (_, candidates, want) => {
    expect(pickOneCandidate(candidates)?.nodeName).toBe(want);
  });
});

describe("DefaultPreemption args", () => {
  it("bounds the candidate search as upstream", () => {
    const args = validateArgs(undefined);
    expect([10, 500, 5000].map((n) => numCandidates(n, args))).toEqual([10, 100, 500]);
    expect(() =>
      validateArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }),
    ).toThrow(/cannot be zero/);
  });
});

describe("nominated pods", () => {
  it("hold the room preemption made against lower-priority pods, not higher ones", async () => {
    const { scheduler, events, binder, drain, deleted } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "2" }));
    scheduler.onPodAdd(onNode(withPriority(requesting("victim", { cpu: "2" }), 0), "n1"));
    scheduler.onPodAdd(withPriority(requesting("nominee", { cpu: "2" }), 100));
    await drain();
    expect(deleted).toEqual(["victim"]);
    expect(scheduler.queue.nominatedPodsForNode("n1").map((p) => p.metadata.name)).toEqual([
      "nominee",
    ]);
    // The nominee is still backing off; a lower-priority pod must not take its room.
    scheduler.onPodAdd(withPriority(requesting("small", { cpu: "1" }), 0));
    await drain();
    expect(binder.bindings).toEqual([]);
    expect(last(events)?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
    // A more important pod may.
    scheduler.onPodAdd(withPriority(requesting("vip", { cpu: "1" }), 1000));
    await drain();
    expect(binder.bindings).toEqual([["vip", "n1"]]);
  });
});
