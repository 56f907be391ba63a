import {
  type Clock,
  inTreeRegistry,
  KubeScheduler,
  type Node,
  type Pod,
  parseSchedulerConfiguration,
  type SchedulerEvent,
  seededRandom,
} from "@kubekit/scheduler-plugins";
import { describe, expect, it } from "vitest";
import * as coscheduling from "../src/index.js";
import { InMemoryPodGroupSource, POD_GROUP_LABEL, type PodGroup } from "../src/index.js";

/** A clock that moves only when told, with timers (Permit timeouts). */
class ManualClock implements Clock {
  private t = 1_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

const CONFIG = [
  "apiVersion: kubescheduler.config.k8s.io/v1",
  "kind: KubeSchedulerConfiguration",
  "profiles:",
  "  - plugins:",
  "      queueSort: { enabled: [{ name: Coscheduling }], disabled: [{ name: '*' }] }",
  "      preFilter: { enabled: [{ name: Coscheduling }] }",
  "      postFilter: { enabled: [{ name: Coscheduling }] }",
  "      reserve: { enabled: [{ name: Coscheduling }] }",
  "      permit: { enabled: [{ name: Coscheduling }] }",
  "    pluginConfig:",
  "      - name: Coscheduling",
  "        args: { permitWaitingTimeSeconds: 30 }",
].join("\n");

const node = (name: string): Node => ({
  metadata: { name },
  status: { allocatable: { cpu: "1", memory: "4Gi", pods: "110" } },
});

const member = (name: string, group: string, priority = 0): Pod => ({
  metadata: {
    name,
    namespace: "ml",
    uid: name,
    labels: { [POD_GROUP_LABEL]: group },
  },
  spec: { priority, containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] },
});

const group = (name: string, minMember: number, created = "2026-01-01T00:00:00Z"): PodGroup => ({
  metadata: { name, namespace: "ml", creationTimestamp: created },
  spec: { minMember },
});

function setup(nodes: number) {
  const registry = inTreeRegistry();
  registry.register(coscheduling.NAME, coscheduling.create);
  const config = parseSchedulerConfiguration(CONFIG, { registry });
  const source = new InMemoryPodGroupSource();
  const clock = new ManualClock();
  const bound = new Map<string, string>();
  const events: SchedulerEvent[] = [];
  const scheduler: KubeScheduler = new KubeScheduler({
    config,
    registry,
    clock,
    random: seededRandom(7),
    handleExtras: { podGroupSource: source },
    onEvent: (e) => events.push(e),
    binder: {
      bind: async (pod, nodeName) => {
        bound.set(pod.metadata.name, nodeName);
        scheduler.onPodUpdate(pod, { ...pod, spec: { ...pod.spec, nodeName } });
      },
    },
  });
  for (let i = 1; i <= nodes; i++) scheduler.onNodeAdd(node(`n${i}`));
  const bindings: Promise<boolean>[] = [];
  const add = (p: Pod) => {
    source.addPod(p);
    scheduler.onPodAdd(p);
  };
  /** Runs attempts until the active queue is empty, then lets binding cycles settle. */
  const drain = async () => {
    for (let i = 0; i < 100; i++) {
      const { attempted, binding } = await scheduler.scheduleNext();
      if (!attempted) break;
      bindings.push(binding);
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { scheduler, source, clock, bound, events, add, drain, bindings };
}

describe("Coscheduling", () => {
  it("binds a group of 3 with minMember 3 only once all 3 fit, all at once", async () => {
    const env = setup(3);
    env.source.addGroup(group("train", 3));
    for (const n of ["w1", "w2", "w3"]) env.add(member(n, "train"));
    await env.drain();
    await Promise.all(env.bindings);
    expect([...env.bound.keys()].sort()).toEqual(["w1", "w2", "w3"]);
    expect(new Set(env.bound.values()).size).toBe(3);
  });

  it("keeps the whole group pending when only 2 of 3 fit, and binds it when room appears", async () => {
    const env = setup(2);
    env.source.addGroup(group("train", 3));
    for (const n of ["w1", "w2", "w3"]) env.add(member(n, "train"));
    await env.drain();
    await Promise.all(env.bindings);
    expect(env.bound.size).toBe(0);
    const failed = env.events.filter((e) => e.type === "FailedScheduling");
    expect(new Set(failed.map((e) => e.pod.metadata.name))).toEqual(new Set(["w1", "w2", "w3"]));
    // The member that found no room says why, DefaultPreemption's and Coscheduling's verdicts joined as upstream joins PostFilter reasons.
    expect(failed.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^0\/2 nodes are available: 2 Insufficient cpu\. preemption: 0\/2 nodes are available: 2 No preemption victims found for incoming pod\., PodGroup ml\/train gets rejected due to Pod w\d is unschedulable even after PostFilter\.$/,
      ),
    );
    expect(failed.filter((e) => e.message === "optimistic rejection in PostFilter")).toHaveLength(
      2,
    );

    // A third node is a cluster event: the group comes back together and fits.
    env.scheduler.onNodeAdd(node("n3"));
    env.clock.advance(20_000); // past every backoff
    env.scheduler.flushQueues();
    await env.drain();
    await Promise.all(env.bindings);
    expect([...env.bound.keys()].sort()).toEqual(["w1", "w2", "w3"]);
  });

  it("rejects a pod whose group has fewer pods than minMember at PreFilter", async () => {
    const env = setup(3);
    env.source.addGroup(group("train", 3));
    env.add(member("w1", "train"));
    env.add(member("w2", "train"));
    await env.drain();
    expect(env.bound.size).toBe(0);
    expect(env.events.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^0\/3 nodes are available: pre-filter pod w1 cannot find enough sibling pods, current pods number: 2, minMember of group: 3\. preemption: /,
      ),
    );
    // The third pod's arrival wakes the siblings (an UnscheduledPodAdd event).
    env.add(member("w3", "train"));
    env.clock.advance(20_000);
    env.scheduler.flushQueues();
    await env.drain();
    await Promise.all(env.bindings);
    expect(env.bound.size).toBe(3);
  });

  it("sends waiting members back when the group does not complete within the Permit timeout", async () => {
    const env = setup(3);
    env.source.addGroup(group("train", 3));
    // The third member exists but is not this scheduler's to place yet (another profile).
    env.source.addPod(member("w3", "train"));
    env.add(member("w1", "train"));
    env.add(member("w2", "train"));
    await env.drain();
    expect(env.bound.size).toBe(0);
    env.clock.advance(30_000);
    expect(await Promise.all(env.bindings)).toEqual([false, false]);
    expect(env.events.map((e) => e.message)).toContain(
      "rejected due to timeout after waiting 30s at plugin Coscheduling",
    );
  });

  it("orders the queue by priority, then group creation time, keeping a group's pods together", () => {
    const env = setup(0);
    env.source.addGroup(group("old", 2, "2026-01-01T00:00:00Z"));
    env.source.addGroup(group("new", 2, "2026-01-02T00:00:00Z"));
    for (const p of [
      member("new-1", "new"),
      member("old-1", "old"),
      member("new-2", "new"),
      member("urgent", "new", 100),
      member("old-2", "old"),
    ]) {
      env.add(p);
    }
    const order: string[] = [];
    for (let p = env.scheduler.queue.pop(); p; p = env.scheduler.queue.pop()) {
      order.push(p.pod.metadata.name);
    }
    expect(order[0]).toBe("urgent");
    expect(order.slice(1, 3).sort()).toEqual(["old-1", "old-2"]);
    expect(order.slice(3).sort()).toEqual(["new-1", "new-2"]);
  });

  it("refuses bad args naming the field", () => {
    const handle = { podGroupSource: new InMemoryPodGroupSource() } as never;
    expect(() => coscheduling.create({ permitWaitingTimeSeconds: -1 }, handle)).toThrow(
      /^permitWaitingTimeSeconds: Invalid value/,
    );
  });
});
