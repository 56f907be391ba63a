import { describe, expect, it } from "vitest";
import type { Service } from "../../src/common/service.js";
import type { Pod } from "../../src/common/types.js";
import { type EndpointSlice, planSlices, SliceTracker } from "../../src/endpointslice/index.js";

const service: Service = {
  metadata: { name: "web", namespace: "default", uid: "svc-uid", labels: { tier: "front" } },
  spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
};

const pod = (i: number, opts: { ready?: boolean; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name: `web-${i}`,
    namespace: "default",
    uid: `pod-${String(i).padStart(4, "0")}`,
    labels: { app: "web" },
    ...(opts.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
  },
  spec: { nodeName: "n1", containers: [{ name: "c" }] },
  status: {
    phase: "Running",
    podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }],
  },
});

/** Gives planned creations names, as the apiserver would, so plans can be chained. */
function apply(
  existing: EndpointSlice[],
  plan: ReturnType<typeof planSlices>,
  next: { n: number },
): EndpointSlice[] {
  const deleted = new Set(plan.delete.map((s) => s.metadata?.name));
  const updated = new Map(plan.update.map((s) => [s.metadata?.name, s]));
  const result = existing
    .filter((s) => !deleted.has(s.metadata?.name))
    .map((s) => updated.get(s.metadata?.name) ?? s);
  for (const s of plan.create) {
    result.push({ ...s, metadata: { ...s.metadata, name: `web-${next.n++}` } });
  }
  return result;
}

describe("planSlices", () => {
  it("makes one slice with upstream's labels, owner, address type and conditions", () => {
    const plan = planSlices(
      service,
      [pod(1), pod(2, { ready: false }), pod(3, { deleting: true })],
      [],
    );
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.create).toHaveLength(1);
    const slice = plan.create[0] as EndpointSlice;
    expect(slice.metadata?.generateName).toBe("web-");
    expect(slice.metadata?.labels).toEqual({
      tier: "front",
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(slice.metadata?.ownerReferences).toEqual([
      {
        apiVersion: "v1",
        kind: "Service",
        name: "web",
        uid: "svc-uid",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.addressType).toBe("IPv4");
    expect(slice.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(slice.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
      ["web-1", { ready: true, serving: true, terminating: false }],
      ["web-2", { ready: false, serving: false, terminating: false }],
      ["web-3", { ready: false, serving: true, terminating: true }],
    ]);
  });

  it("keeps an empty placeholder slice for a service without pods", () => {
    const plan = planSlices(service, [], []);
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]?.endpoints).toEqual([]);
    expect(plan.create[0]?.ports).toEqual([]);
  });

  it("puts at most 100 endpoints in a slice and converges without churn", () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(i));
    const next = { n: 0 };
    let slices = apply([], planSlices(service, pods, []), next);
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    // Planning again from what was written changes nothing.
    const again = planSlices(service, pods, slices);
    expect(again).toEqual({ create: [], update: [], delete: [] });

    // Ten pods go and twenty come: only the affected slices change, and new pods fill holes first.
    const changed = [...pods.slice(10), ...Array.from({ length: 20 }, (_, i) => pod(300 + i))];
    const plan = planSlices(service, changed, slices);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    slices = apply(slices, plan, next);
    expect(slices.map((s) => s.endpoints.length).reduce((a, b) => a + b)).toBe(260);
    expect(Math.max(...slices.map((s) => s.endpoints.length))).toBe(100);
    const uids = slices.flatMap((s) => s.endpoints.map((e) => e.targetRef?.uid));
    expect(new Set(uids).size).toBe(260);
  });

  it("deletes slices left with no endpoints and slices of an older service of the same name", () => {
    const next = { n: 0 };
    const slices = apply([], planSlices(service, [pod(1)], []), next);
    const foreign: EndpointSlice = {
      ...(slices[0] as EndpointSlice),
      metadata: {
        ...slices[0]?.metadata,
        name: "web-old",
        ownerReferences: [{ apiVersion: "v1", kind: "Service", name: "web", uid: "old-uid" }],
      },
    };
    const plan = planSlices(service, [], [...slices, foreign]);
    expect(plan.delete.map((s) => s.metadata?.name)).toEqual(["web-old"]);
    // The remaining slice becomes the empty placeholder.
    expect(plan.update.map((s) => [s.metadata?.name, s.endpoints])).toEqual([["web-0", []]]);
  });
});

describe("planSlices with zones", () => {
  it("copies the zone of each pod's node into its endpoint", () => {
    const plan = planSlices(service, [pod(1)], [], 100, (node) =>
      node === "n1" ? "zone-a" : undefined,
    );
    expect(plan.create[0]?.endpoints[0]?.zone).toBe("zone-a");
  });
});

describe("SliceTracker", () => {
  it("reports a service stale until its writes are observed, or they expire", () => {
    let now = 0;
    const tracker = new SliceTracker(() => now, 1000);
    tracker.wrote("default/web", "web-abc", "7");
    tracker.wrote("default/web", "web-old", "");
    expect(tracker.stale("default/web")).toBe(true);
    tracker.observed("default/web", "web-abc", "6");
    tracker.observed("default/web", "web-abc", "7");
    expect(tracker.stale("default/web")).toBe(true);
    tracker.observed("default/web", "web-old", "");
    expect(tracker.stale("default/web")).toBe(false);
    tracker.wrote("default/web", "web-x", "9");
    now = 1001;
    expect(tracker.stale("default/web")).toBe(false);
  });
});
