import { describe, expect, it } from "vitest";
import type { Pod } from "../src/api/types.js";
import { seededRandom } from "../src/framework/handle.js";
import { KubeScheduler, type SchedulerEvent } from "../src/scheduler/kube-scheduler.js";
import { FakeClock, node, onNode, pod, RecordingBinder, requesting } from "./fixtures.js";

function setup() {
  const clock = new FakeClock();
  const binder = new RecordingBinder();
  const events: SchedulerEvent[] = [];
  const scheduler = new KubeScheduler({
    binder,
    clock,
    random: seededRandom(3),
    onEvent: (e) => events.push(e),
  });
  // Play the apiserver: a successful binding comes back as a pod update with nodeName set.
  const drain = async () => {
    for (;;) {
      const { attempted, binding } = await scheduler.scheduleNext();
      if (!attempted) return;
      await binding;
    }
  };
  return { clock, binder, events, scheduler, drain };
}

const messages = (events: SchedulerEvent[]) => events.map((e) => `${e.type}: ${e.message}`);

describe("KubeScheduler", () => {
  it("schedules pending pods in priority order onto fitting nodes", async () => {
    const { scheduler, binder, events, drain } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "2" }));
    scheduler.onPodAdd(requesting("low", { cpu: "1500m" }, { priority: 1 }));
    scheduler.onPodAdd(requesting("high", { cpu: "1500m" }, { priority: 100 }));
    await drain();
    expect(binder.bindings).toEqual([["high", "n1"]]);
    expect(messages(events)).toEqual([
      "Scheduled: Successfully assigned default/high to n1",
      "FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..",
    ]);
    expect(scheduler.queue.where(pod("low"))).toBe("unschedulable");
  });

  it("retries an unschedulable pod after a helpful event, once its backoff is over", async () => {
    const { scheduler, binder, clock, drain } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "1" }));
    scheduler.onPodAdd(requesting("p", { cpu: "2" }));
    await drain();
    expect(binder.bindings).toEqual([]);
    // A label change does not help NodeResourcesFit; a new big node does.
    scheduler.onNodeUpdate(node("n1", { cpu: "1" }), node("n1", { cpu: "1", labels: { x: "y" } }));
    expect(scheduler.queue.where(pod("p"))).toBe("unschedulable");
    scheduler.onNodeAdd(node("n2", { cpu: "4" }));
    expect(scheduler.queue.where(pod("p"))).toBe("backoff");
    await drain();
    expect(binder.bindings).toEqual([]);
    clock.advance(1000);
    scheduler.flushQueues();
    await drain();
    expect(binder.bindings).toEqual([["p", "n2"]]);
  });

  it("counts bound pods from informers and frees their room when they go", async () => {
    const { scheduler, binder, drain, clock } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "1" }));
    const running = onNode(requesting("running", { cpu: "800m" }), "n1");
    scheduler.onPodAdd(running);
    scheduler.onPodAdd(requesting("p", { cpu: "500m" }));
    await drain();
    expect(binder.bindings).toEqual([]);
    clock.advance(2000);
    scheduler.onPodDelete(running);
    await drain();
    expect(binder.bindings).toEqual([["p", "n1"]]);
  });

  it("keeps assumed pods counted so two pods do not take the same room", async () => {
    const { scheduler, binder, drain } = setup();
    scheduler.onNodeAdd(node("n1", { cpu: "1" }));
    scheduler.onPodAdd(requesting("a", { cpu: "600m" }));
    scheduler.onPodAdd(requesting("b", { cpu: "600m" }));
    await drain();
    expect(binder.bindings).toHaveLength(1);
  });

  it("ignores pods for other schedulers and waits for scheduling gates", async () => {
    const { scheduler, binder, drain } = setup();
    scheduler.onNodeAdd(node("n1"));
    scheduler.onPodAdd(pod("theirs", { schedulerName: "other-scheduler" }));
    const gated: Pod = pod("gated", { schedulingGates: [{ name: "example.com/wait" }] });
    scheduler.onPodAdd(gated);
    await drain();
    expect(binder.bindings).toEqual([]);
    scheduler.onPodUpdate(gated, pod("gated"));
    await drain();
    expect(binder.bindings).toEqual([["gated", "n1"]]);
  });
});
