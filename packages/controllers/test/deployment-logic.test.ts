import { describe, expect, it } from "vitest";
import { templateHash } from "../src/common/template-hash.js";
import type { Deployment, ReplicaSet } from "../src/common/types.js";
import { setNewReplicaSetAnnotations } from "../src/deployment/annotations.js";
import { maxSurge, maxUnavailable, resolveFenceposts } from "../src/deployment/fenceposts.js";
import { planScale } from "../src/deployment/proportional.js";
import { newReplicaSetReplicas, planOldScaleDown } from "../src/deployment/rolling.js";
import { equalIgnoreHash } from "../src/deployment/template-hash.js";

function deploy(
  replicas: number,
  maxSurge: number | string,
  maxUnavailable: number | string,
): Deployment {
  return {
    metadata: { name: "d", namespace: "ns", annotations: { team: "a" } },
    spec: {
      replicas,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
      template: {
        metadata: { labels: { app: "d" } },
        spec: { containers: [{ name: "c", image: "x" }] },
      },
    },
  };
}

function rs(
  name: string,
  spec: number,
  available: number,
  created: string,
  extra: Record<string, string> = {},
): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: created, annotations: { ...extra } },
    spec: { replicas: spec },
    status: { replicas: spec, availableReplicas: available, readyReplicas: available },
  };
}

describe("fenceposts", () => {
  it("rounds maxSurge up and maxUnavailable down, as upstream", () => {
    expect(resolveFenceposts(deploy(10, "25%", "25%"))).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(deploy(3, "25%", "25%"))).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(deploy(3, 0, 0))).toEqual({ surge: 0, unavailable: 1 });
    expect(maxUnavailable(deploy(2, 0, 5))).toBe(2);
    expect(
      maxSurge({
        ...deploy(4, 2, 1),
        spec: { ...deploy(4, 2, 1).spec, strategy: { type: "Recreate" } },
      }),
    ).toBe(0);
  });
});

describe("rolling update steps", () => {
  it("grows the new ReplicaSet only up to replicas + maxSurge", () => {
    const d = deploy(6, 2, 1);
    const old = rs("old", 6, 6, "2026-01-01T00:00:00Z");
    const fresh = rs("new", 0, 0, "2026-01-02T00:00:00Z");
    expect(newReplicaSetReplicas(d, [old, fresh], fresh)).toBe(2);
    // An old ReplicaSet told to shrink still counts its pods until they are gone.
    const shrinking: ReplicaSet = {
      ...old,
      spec: { replicas: 4 },
      status: { replicas: 6, availableReplicas: 6 },
    };
    expect(
      newReplicaSetReplicas(d, [shrinking, { ...fresh, spec: { replicas: 2 } }], {
        ...fresh,
        spec: { replicas: 2 },
      }),
    ).toBe(2);
  });

  it("scales old ReplicaSets down no further than replicas - maxUnavailable available", () => {
    const d = deploy(6, 2, 1);
    const old = rs("old", 6, 6, "2026-01-01T00:00:00Z");
    const fresh = rs("new", 2, 0, "2026-01-02T00:00:00Z");
    // 8 pods, 6 available, 2 new not yet available: one old pod may go.
    expect(planOldScaleDown(d, [old, fresh], [old], fresh).map((s) => s.replicas)).toEqual([5]);
    // Unhealthy old pods go first (capped so the new ones' unavailability is covered)...
    const sick = rs("sick", 6, 4, "2026-01-01T00:00:00Z");
    expect(planOldScaleDown(d, [sick, fresh], [sick], fresh).map((s) => s.replicas)).toEqual([5]);
    // ...and once the new pods are available, the 2 unhealthy and then 1 healthy old pod go.
    const ready = rs("new", 2, 2, "2026-01-02T00:00:00Z");
    expect(planOldScaleDown(d, [sick, ready], [sick], ready).map((s) => s.replicas)).toEqual([3]);
  });
});

describe("proportional scaling", () => {
  it("spreads a resize over active ReplicaSets by size, leftovers to the largest", () => {
    const d = deploy(20, 3, 1);
    d.status = { replicas: 13 };
    const old = rs("old", 8, 8, "2026-01-01T00:00:00Z", {
      "deployment.kubernetes.io/max-replicas": "13",
    });
    const fresh = rs("new", 5, 0, "2026-01-02T00:00:00Z", {
      "deployment.kubernetes.io/max-replicas": "13",
    });
    const plan = planScale(d, fresh, [old]);
    const total = plan.reduce((n, s) => n + s.replicas, 0);
    expect(total).toBe(23);
    expect(plan.find((s) => s.rs === old)?.replicas).toBeGreaterThan(
      plan.find((s) => s.rs === fresh)?.replicas ?? 0,
    );
  });

  it("resizes the only active ReplicaSet directly", () => {
    const d = deploy(7, 1, 1);
    const only = rs("only", 3, 3, "2026-01-01T00:00:00Z");
    expect(planScale(d, only, [rs("empty", 0, 0, "2025-01-01T00:00:00Z")])).toEqual([
      { rs: only, replicas: 7 },
    ]);
  });
});

describe("template hash and revisions", () => {
  it("hashes equal templates equally whatever the key order, and ignores the hash label when comparing", () => {
    const a = {
      metadata: { labels: { app: "x", tier: "web" } },
      spec: { containers: [{ name: "c", image: "i" }] },
    };
    const b = {
      spec: { containers: [{ image: "i", name: "c" }] },
      metadata: { labels: { tier: "web", app: "x" } },
    };
    expect(templateHash(a)).toBe(templateHash(b));
    expect(templateHash(a)).not.toBe(templateHash(a, 1));
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const hashed = {
      ...a,
      metadata: { labels: { ...a.metadata.labels, "pod-template-hash": "abc" } },
    };
    expect(equalIgnoreHash(a, hashed)).toBe(true);
    expect(equalIgnoreHash(a, { ...a, spec: { containers: [{ name: "c", image: "j" }] } })).toBe(
      false,
    );
  });

  it("raises the revision of a reused ReplicaSet and keeps its history", () => {
    const d = deploy(1, 1, 0);
    const reused = rs("r", 0, 0, "2026-01-01T00:00:00Z", {
      "deployment.kubernetes.io/revision": "1",
    });
    expect(setNewReplicaSetAnnotations(d, reused, 3, true)).toBe(true);
    expect(reused.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "3",
      "deployment.kubernetes.io/revision-history": "1",
      team: "a",
    });
    setNewReplicaSetAnnotations(d, reused, 5, true);
    expect(reused.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1,3");
    const created = rs("n", 0, 0, "2026-01-01T00:00:00Z");
    setNewReplicaSetAnnotations(d, created, 1, false);
    expect(created.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "1",
      "deployment.kubernetes.io/max-replicas": "2",
    });
  });
});
