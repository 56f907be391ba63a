import { describe, expect, it } from "vitest";
import { BufferedDelivery } from "../../src/cache/buffered-delivery.js";
import { encodedList, encodedObject } from "../../src/cache/encoded-object.js";
import type { CachedEvent } from "../../src/cache/event-ring.js";
import { EventRing } from "../../src/cache/event-ring.js";
import { routeList } from "../../src/cache/list-routing.js";
import { progressRequestsInOrder } from "../../src/cache/progress-support.js";
import { WatchCache } from "../../src/cache/watch-cache.js";
import { toList } from "../../src/output/lists.js";
import { createResourceIndex } from "../../src/registry/resource-index.js";
import { parseListOptions } from "../../src/request/list-options.js";
import { typed } from "../../src/server/render.js";
import type { KubeObject } from "../../src/types/object.js";

const cm = (name: string, rv: number, labels: Record<string, string> = {}): KubeObject => ({
  kind: "ConfigMap",
  metadata: { name, namespace: "d", labels, resourceVersion: String(rv) },
});
const key = (name: string) => `/registry/core/configmaps/d/${name}`;

/** A subscriber that records what it gets. */
function recorder() {
  const seen: CachedEvent[] = [];
  let resets = 0;
  return {
    seen,
    resets: () => resets,
    subscriber: {
      event: (e: CachedEvent) => seen.push(e),
      reset: () => {
        resets++;
      },
    },
  };
}

/** A cache loaded with a, b at revision 10, then `updates` more changes of a. */
function loaded(capacity = 100, updates = 0) {
  const cache = new WatchCache(capacity);
  cache.replace(
    [
      { key: key("b"), object: cm("b", 9) },
      { key: key("a"), object: cm("a", 10) },
    ],
    10,
  );
  for (let i = 1; i <= updates; i++)
    cache.apply(key("a"), {
      prev: cm("a", 9 + i),
      next: cm("a", 10 + i),
      resourceVersion: String(10 + i),
    });
  return cache;
}

describe("EventRing", () => {
  it("keeps the newest events and finds those after a revision", () => {
    const ring = new EventRing(3);
    const ev = (revision: number): CachedEvent => ({
      key: "k",
      revision,
      change: { resourceVersion: String(revision) },
    });
    expect(ring.push(ev(1))).toBeUndefined();
    ring.push(ev(2));
    ring.push(ev(4));
    expect(ring.push(ev(7))?.revision).toBe(1);
    expect(ring.after(0).map((e) => e.revision)).toEqual([2, 4, 7]);
    expect(ring.after(3).map((e) => e.revision)).toEqual([4, 7]);
    expect(ring.after(4).map((e) => e.revision)).toEqual([7]);
    expect(ring.after(7)).toEqual([]);
    expect(() => new EventRing(0)).toThrow(RangeError);
  });
});

describe("WatchCache", () => {
  it("lists the current objects in key order, filtered", () => {
    const cache = loaded();
    cache.apply(key("c"), { next: cm("c", 11, { x: "y" }), resourceVersion: "11" });
    cache.apply(key("b"), { prev: cm("b", 9), resourceVersion: "12" });
    expect(cache.list().map((o) => o.metadata?.name)).toEqual(["a", "c"]);
    expect(cache.list((o) => o.metadata?.labels?.x === "y").map((o) => o.metadata?.name)).toEqual([
      "c",
    ]);
    expect(cache.revision).toBe(12);
  });

  it("lists only the keys under a prefix (one namespace) when asked", () => {
    const cache = new WatchCache(10);
    const k = (ns: string, name: string) => `/registry/core/configmaps/${ns}/${name}`;
    cache.replace(
      [
        { key: k("b", "x"), object: cm("x", 1) },
        { key: k("a", "y"), object: cm("y", 1) },
        { key: k("ab", "z"), object: cm("z", 1) },
        { key: k("a", "w"), object: cm("w", 1) },
      ],
      5,
    );
    const names = (prefix: string) => cache.list(undefined, prefix).map((o) => o.metadata?.name);
    expect(names("/registry/core/configmaps/a/")).toEqual(["w", "y"]);
    expect(names("/registry/core/configmaps/ab/")).toEqual(["z"]);
    expect(names("/registry/core/configmaps/c/")).toEqual([]);
    expect(names("")).toEqual(["w", "y", "z", "x"]);
  });

  it("replays exactly the events after a resourceVersion, then follows", () => {
    const cache = loaded(100, 5); // a at 11..15
    const r = recorder();
    const sub = cache.subscribe(13, r.subscriber);
    if (!sub.ok) throw new Error(sub.reason);
    expect(sub.replay.map((e) => e.revision)).toEqual([14, 15]);
    cache.apply(key("a"), { prev: cm("a", 15), next: cm("a", 16), resourceVersion: "16" });
    expect(r.seen.map((e) => e.revision)).toEqual([16]);
    sub.cancel();
    cache.apply(key("a"), { prev: cm("a", 16), next: cm("a", 17), resourceVersion: "17" });
    expect(r.seen.map((e) => e.revision)).toEqual([16]);
  });

  it("answers too old below the ring's reach and too new beyond the cache", () => {
    const cache = loaded(3, 5); // ring holds 13, 14, 15: resumable from 12
    expect(cache.oldest).toBe(12);
    expect(cache.subscribe(11, recorder().subscriber)).toEqual({
      ok: false,
      reason: "too-old",
      oldest: 12,
    });
    const ok = cache.subscribe(12, recorder().subscriber);
    expect(ok.ok && ok.replay.map((e) => e.revision)).toEqual([13, 14, 15]);
    expect(cache.subscribe(16, recorder().subscriber)).toEqual({
      ok: false,
      reason: "too-new",
      current: 15,
    });
  });

  it("resets every subscriber when it relists, and empties the ring", () => {
    const cache = loaded(100, 2);
    const r = recorder();
    cache.subscribe(10, r.subscriber);
    cache.replace([{ key: key("z"), object: cm("z", 30) }], 30);
    expect(r.resets()).toBe(1);
    expect(cache.subscriberCount).toBe(0);
    expect(cache.subscribe(12, recorder().subscriber)).toMatchObject({
      ok: false,
      reason: "too-old",
    });
    expect(cache.list().map((o) => o.metadata?.name)).toEqual(["z"]);
  });

  it("lets progress move watches on, but only in-order progress confirm lists", () => {
    const cache = loaded();
    cache.progress(20, false);
    expect([cache.revision, cache.confirmed]).toEqual([20, 10]);
    cache.progress(25, true);
    expect([cache.revision, cache.confirmed]).toEqual([25, 25]);
  });

  it("gives a late event only to the watches that started before it", () => {
    // A progress answer ran ahead of an event at 12 (etcd before 3.4.31).
    const cache = loaded();
    cache.progress(15, false);
    const before = recorder();
    const after = recorder();
    cache.subscribe(11, before.subscriber);
    cache.subscribe(15, after.subscriber);
    cache.apply(key("a"), { prev: cm("a", 10), next: cm("a", 12), resourceVersion: "12" });
    expect(before.seen.map((e) => e.revision)).toEqual([12]);
    expect(after.seen).toEqual([]);
    expect([cache.revision, cache.confirmed]).toEqual([15, 12]);
  });

  it("tells revision listeners when it moves", () => {
    const cache = loaded();
    const seen: number[] = [];
    const stop = cache.onRevision(() => seen.push(cache.revision));
    cache.progress(11, true);
    cache.progress(11, true); // no move, no call
    cache.apply(key("a"), { prev: cm("a", 10), next: cm("a", 12), resourceVersion: "12" });
    stop();
    cache.progress(13, true);
    expect(seen).toEqual([11, 12]);
  });
});

/** A sink's write that records each item and answers whether it wants more. */
const recording = (written: number[], wantsMore: () => boolean) => (n: number) => {
  written.push(n);
  return wantsMore();
};

describe("BufferedDelivery", () => {
  it("passes items straight through while the sink keeps up", () => {
    const written: number[] = [];
    const d = new BufferedDelivery<number>(2, {
      write: recording(written, () => true),
      overflow: () => {},
    });
    for (const n of [1, 2, 3, 4, 5]) d.push(n);
    expect(written).toEqual([1, 2, 3, 4, 5]);
    expect(d.pending).toBe(0);
  });

  it("queues in order while the sink pushes back, and resumes", () => {
    const written: number[] = [];
    let accept = false;
    const d = new BufferedDelivery<number>(10, {
      write: recording(written, () => accept),
      overflow: () => {},
    });
    d.push(1); // written, then the sink pushes back
    d.push(2);
    d.push(3);
    expect(written).toEqual([1]);
    accept = true;
    d.resume();
    expect(written).toEqual([1, 2, 3]);
    expect(d.pending).toBe(0);
  });

  it("gives up a watcher whose queue overflows, and takes nothing more", () => {
    const written: number[] = [];
    let overflows = 0;
    const d = new BufferedDelivery<number>(2, {
      write: recording(written, () => false),
      overflow: () => {
        overflows++;
      },
    });
    for (const n of [1, 2, 3, 4, 5]) d.push(n);
    expect(written).toEqual([1]);
    expect(overflows).toBe(1);
    expect(d.closed).toBe(true);
    d.resume();
    expect(written).toEqual([1]);
  });

  it("holds everything until the first resume when told to", () => {
    const written: number[] = [];
    const d = new BufferedDelivery<number>(
      5,
      { write: recording(written, () => true), overflow: () => {} },
      true,
    );
    d.push(1);
    d.push(2);
    expect(written).toEqual([]);
    d.resume();
    expect(written).toEqual([1, 2]);
  });
});

describe("routeList", () => {
  const route = (query: string) => {
    const parsed = parseListOptions(new URLSearchParams(query), { group: "", resource: "pods" });
    if (!parsed.ok) throw new Error(parsed.status.message);
    return routeList(parsed.options);
  };
  it.each([
    ["", { from: "cache", minRevision: "current" }],
    ["resourceVersion=0", { from: "cache", minRevision: "any" }],
    ["resourceVersion=0&limit=10", { from: "cache", minRevision: "any" }],
    ["resourceVersion=42", { from: "cache", minRevision: 42 }],
    ["resourceVersion=42&resourceVersionMatch=NotOlderThan", { from: "cache", minRevision: 42 }],
    ["resourceVersion=42&resourceVersionMatch=Exact", { from: "etcd" }],
    ["limit=500", { from: "etcd" }],
    ["limit=5&resourceVersion=42", { from: "etcd" }],
    ["limit=5&continue=abc", { from: "etcd" }],
    ["labelSelector=app%3Dweb", { from: "cache", minRevision: "current" }],
  ])("%s", (query, expected) => {
    expect(route(query)).toEqual(expected);
  });
});

describe("progressRequestsInOrder", () => {
  it.each([
    ["3.4.23", false],
    ["3.4.31", true],
    ["3.5.12", false],
    ["3.5.13", true],
    ["3.6.0", true],
    ["3.4.0-kubekit.0", true],
    ["garbage", false],
  ])("%s", (version, expected) => {
    expect(progressRequestsInOrder(version)).toBe(expected);
  });
});

describe("encoded cached objects", () => {
  const def = createResourceIndex().byResource("apps", "v1", "deployments")!;
  const items: KubeObject[] = [
    { metadata: { name: "a", resourceVersion: "3" }, spec: { replicas: 1 } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "b", resourceVersion: "4" } },
  ];
  it("encodes a list exactly as rendering it would", () => {
    const rendered = JSON.stringify(
      toList(
        def,
        items.map((o) => typed(def, o)),
        { resourceVersion: "9" },
      ),
    );
    expect(encodedList(def, items, "9")).toBe(rendered);
    expect(encodedList(def, [], "9")).toBe(
      JSON.stringify(toList(def, [], { resourceVersion: "9" })),
    );
  });
  it("encodes each object once", () => {
    expect(encodedObject(def, items[0]!)).toBe(JSON.stringify(typed(def, items[0]!)));
    expect(encodedObject(def, items[0]!)).toBe(encodedObject(def, items[0]!));
  });
});
