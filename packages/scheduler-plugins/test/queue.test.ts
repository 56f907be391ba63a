import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import type { QueuedPodInfo } from "../src/framework/interfaces.js";
import * as prioritySort from "../src/plugins/priority-sort/index.js";
import * as schedulingGates from "../src/plugins/scheduling-gates/index.js";
import type { ClusterEvent } from "../src/queue/events.js";
import { KeyedHeap } from "../src/queue/heap.js";
import { SchedulingQueue } from "../src/queue/scheduling-queue.js";
import { FakeClock, node, onNode, pod, requesting } from "./fixtures.js";

function newQueue(clock = new FakeClock()) {
  const gates = schedulingGates.create();
  const queue = new SchedulingQueue({
    clock,
    less: prioritySort.create().less,
    preEnqueue: (p) => gates.preEnqueue(p).withPlugin(gates.name),
  });
  return { queue, clock };
}

const prio = (name: string, priority: number) => pod(name, { priority });

function failWith(queue: SchedulingQueue, plugins: string[]): QueuedPodInfo {
  const info = queue.pop()!;
  queue.addUnschedulableIfNotPresent(info, new Set(plugins));
  return info;
}

describe("SchedulingQueue", () => {
  it("pops by priority, then by arrival", () => {
    const { queue, clock } = newQueue();
    queue.add(prio("low", 0));
    clock.advance(1);
    queue.add(prio("high", 100));
    clock.advance(1);
    queue.add(prio("low-later", 0));
    clock.advance(1);
    queue.add(prio("high-later", 100));
    const order: string[] = [];
    for (let info = queue.pop(); info; info = queue.pop()) order.push(info.pod.metadata.name);
    expect(order).toEqual(["high", "high-later", "low", "low-later"]);
  });

  it("backs off exponentially from 1 s to at most 10 s", () => {
    const { queue } = newQueue();
    const durations = [1, 2, 3, 4, 5, 6].map((attempts) =>
      queue.backoffDuration({
        pod: pod("p"),
        attempts,
        initialAttemptTimestamp: 0,
        timestamp: 0,
        unschedulablePlugins: new Set(),
        pendingPlugins: new Set(),
      }),
    );
    expect(durations).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it("sends errored pods to backoff and releases them when the backoff ends", () => {
    const { queue, clock } = newQueue();
    queue.add(pod("p"));
    failWith(queue, []);
    expect(queue.where(pod("p"))).toBe("backoff");
    clock.advance(999);
    queue.flush();
    expect(queue.where(pod("p"))).toBe("backoff");
    clock.advance(1);
    queue.flush();
    expect(queue.where(pod("p"))).toBe("active");
    expect(queue.pop()?.attempts).toBe(2);
  });

  it("keeps rejected pods parked until an event their plugin cares about", () => {
    const { queue, clock } = newQueue();
    const p = requesting("p", { cpu: "8" });
    queue.add(p);
    failWith(queue, ["NodeResourcesFit"]);
    expect(queue.where(p)).toBe("unschedulable");
    const before = node("n", { cpu: "4", labels: { a: "1" } });
    const stays: [string, ClusterEvent][] = [
      [
        "a label change",
        { type: "NodeUpdate", oldNode: before, node: node("n", { cpu: "4", labels: { a: "2" } }) },
      ],
      [
        "more memory only",
        { type: "NodeUpdate", oldNode: before, node: node("n", { cpu: "4", memory: "64Gi" }) },
      ],
      [
        "more cpu, still too little",
        { type: "NodeUpdate", oldNode: before, node: node("n", { cpu: "6" }) },
      ],
      ["a node too small", { type: "NodeAdd", node: node("small", { cpu: "2" }) }],
      ["an unrelated event", { type: "Other", label: "StorageClassAdd" }],
    ];
    for (const [why, event] of stays) {
      queue.onEvent(event);
      expect(queue.where(p), why).toBe("unschedulable");
    }
    // Enough cpu now; still inside the 1 s backoff, so backoffQ first.
    queue.onEvent({ type: "NodeUpdate", oldNode: before, node: node("n", { cpu: "64" }) });
    expect(queue.where(p)).toBe("backoff");
    clock.advance(1000);
    queue.flush();
    expect(queue.where(p)).toBe("active");
  });

  it("moves straight to active when the backoff is already over", () => {
    const { queue, clock } = newQueue();
    queue.add(pod("p"));
    failWith(queue, ["NodePorts"]);
    clock.advance(5000);
    queue.onEvent({ type: "AssignedPodDelete", pod: onNode(pod("other"), "n") });
    expect(queue.where(pod("p"))).toBe("unschedulable"); // the deleted pod used no host ports
    queue.onEvent({ type: "NodeAdd", node: node("n2") });
    expect(queue.where(pod("p"))).toBe("active");
  });

  it("uses NodeAffinity's hint: only a node that now matches helps", () => {
    const { queue, clock } = newQueue();
    queue.add(pod("p", { nodeSelector: { disk: "ssd" } }));
    failWith(queue, ["NodeAffinity"]);
    clock.advance(2000);
    queue.onEvent({ type: "NodeAdd", node: node("hdd", { labels: { disk: "hdd" } }) });
    expect(queue.where(pod("p"))).toBe("unschedulable");
    queue.onEvent({ type: "NodeAdd", node: node("ssd", { labels: { disk: "ssd" } }) });
    expect(queue.where(pod("p"))).toBe("active");
  });

  it("flushes pods unschedulable for more than 5 minutes", () => {
    const { queue, clock } = newQueue();
    queue.add(pod("p"));
    failWith(queue, ["NodeResourcesFit"]);
    clock.advance(5 * 60 * 1000);
    queue.flush();
    expect(queue.where(pod("p"))).toBe("unschedulable");
    clock.advance(1);
    queue.flush();
    expect(queue.where(pod("p"))).toBe("active");
  });

  it("sends a rejected pod to backoff when an event arrived during its attempt", () => {
    const { queue } = newQueue();
    queue.add(pod("p"));
    const info = queue.pop()!;
    const cycle = queue.currentCycle;
    queue.onEvent({ type: "NodeAdd", node: node("n") });
    queue.addUnschedulableIfNotPresent(info, new Set(["NodeResourcesFit"]), cycle);
    expect(queue.where(pod("p"))).toBe("backoff");
  });

  it("gates pods with scheduling gates until the gates are removed", () => {
    const { queue } = newQueue();
    const gated = pod("p", { schedulingGates: [{ name: "wait" }] });
    queue.add(gated);
    expect(queue.where(gated)).toBe("gated");
    queue.onEvent({ type: "NodeAdd", node: node("n") });
    expect(queue.where(gated)).toBe("gated");
    expect(queue.pop()).toBeUndefined();
    queue.update(pod("p"));
    expect(queue.where(gated)).toBe("active");
    expect(queue.sizes()).toEqual({ active: 1, backoff: 0, unschedulable: 0, gated: 0 });
  });

  it("tracks nominated pods per node", () => {
    const { queue } = newQueue();
    const p: Pod = pod("p");
    queue.add(p);
    queue.addNominatedPod(p, "n1");
    expect(queue.nominatedPodsForNode("n1").map((x) => x.metadata.name)).toEqual(["p"]);
    queue.addNominatedPod(p, "n2");
    expect(queue.nominatedPodsForNode("n1")).toEqual([]);
    expect(queue.nominatedPodsForNode("n2")[0]?.status?.nominatedNodeName).toBe("n2");
    expect(queue.pop()?.pod.status?.nominatedNodeName).toBe("n2");
    queue.delete(p);
    expect(queue.nominatedPodsForNode("n2")).toEqual([]);
    expect(queue.where(p)).toBeUndefined();
  });
});

describe("KeyedHeap", () => {
  it("pops in sorted order under any mix of adds, updates and deletes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("add", "delete"),
            fc.integer({ min: 0, max: 20 }),
            fc.integer({ min: 0, max: 1000 }),
          ),
        ),
        (ops) => {
          const heap = new KeyedHeap<{ k: string; v: number }>(
            (x) => x.k,
            (a, b) => a.v < b.v,
          );
          const model = new Map<string, number>();
          for (const [op, k, v] of ops) {
            if (op === "add") {
              heap.addOrUpdate({ k: `${k}`, v });
              model.set(`${k}`, v);
            } else {
              heap.delete(`${k}`);
              model.delete(`${k}`);
            }
          }
          const popped: number[] = [];
          for (let x = heap.pop(); x; x = heap.pop()) popped.push(x.v);
          expect(popped).toEqual([...model.values()].sort((a, b) => a - b));
        },
      ),
    );
  });
});
