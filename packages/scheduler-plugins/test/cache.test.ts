import { describe, expect, it } from "vitest";
import { SchedulerCache } from "../src/scheduler/cache.js";
import { node, onNode, requesting } from "./fixtures.js";

const cpuOn = (cache: SchedulerCache, name: string) =>
  cache.snapshot().get(name)?.requested.milliCPU;

describe("SchedulerCache", () => {
  it("brings the snapshot up to date in place, copying only the nodes whose pods changed", () => {
    const cache = new SchedulerCache();
    cache.addNode(node("a"));
    cache.addNode(node("b"));
    const first = cache.snapshot();
    expect(cache.snapshot()).toBe(first);
    const [a1, b1] = [first.get("a"), first.get("b")];
    cache.addPod(onNode(requesting("p", { cpu: "500m" }), "a"));
    // As upstream's UpdateSnapshot: the next cycle's snapshot is the same object, updated.
    const second = cache.snapshot();
    expect(second).toBe(first);
    expect(second.get("b")).toBe(b1);
    expect(second.get("a")).not.toBe(a1);
    expect(second.list().map((n) => n.name)).toEqual(["a", "b"]);
    // A NodeInfo handed out earlier is never mutated; the snapshot points at a new copy.
    expect(a1?.requested.milliCPU).toBe(0);
    expect(second.get("a")?.requested.milliCPU).toBe(500);
    // Adding a node rebuilds it.
    cache.addNode(node("c"));
    const third = cache.snapshot();
    expect(third).not.toBe(first);
    expect(third.list().map((n) => n.name)).toEqual(["a", "b", "c"]);
  });

  it("keeps a node's pods across node updates and before the node is known", () => {
    const cache = new SchedulerCache();
    cache.addPod(onNode(requesting("early", { cpu: "100m" }), "late"));
    cache.addNode(node("late"));
    expect(cpuOn(cache, "late")).toBe(100);
    cache.updateNode(node("late", { labels: { x: "y" } }));
    expect(cpuOn(cache, "late")).toBe(100);
    expect(cache.snapshot().get("late")?.node.metadata.labels?.x).toBe("y");
  });

  it("moves a pod whose update changes its node, and forgets only assumed pods", () => {
    const cache = new SchedulerCache();
    cache.addNode(node("a"));
    cache.addNode(node("b"));
    const p = requesting("p", { cpu: "1" });
    cache.assumePod(p, "a");
    expect(cache.isAssumed(p)).toBe(true);
    expect(cpuOn(cache, "a")).toBe(1000);
    cache.addPod(onNode(p, "b")); // the informer says it went to b after all
    expect(cache.isAssumed(p)).toBe(false);
    expect([cpuOn(cache, "a"), cpuOn(cache, "b")]).toEqual([0, 1000]);
    cache.forgetPod(p);
    expect(cpuOn(cache, "b")).toBe(1000);
    cache.removePod(p);
    expect(cpuOn(cache, "b")).toBe(0);
    cache.removeNode("b");
    expect(
      cache
        .snapshot()
        .list()
        .map((n) => n.name),
    ).toEqual(["a"]);
  });
});
