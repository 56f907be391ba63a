import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/common/types.js";
import {
  decideStatefulSet,
  newStatefulPod,
  type StatefulSet,
  statefulSetControllerRef,
} from "../../src/statefulset/index.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");

const sts = (spec: Partial<NonNullable<StatefulSet["spec"]>> = {}): StatefulSet => ({
  metadata: { name: "web", namespace: "default", uid: "sts-uid", generation: 2 },
  spec: {
    replicas: 3,
    serviceName: "nginx",
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }] } },
    ...spec,
  },
});

const pod = (
  ordinal: number,
  revision: string,
  state: "ready" | "pending" | "failed" | "deleting" = "ready",
): Pod => ({
  metadata: {
    name: `web-${ordinal}`,
    labels: { app: "web", "controller-revision-hash": revision },
    ...(state === "deleting" ? { deletionTimestamp: "2026-03-01T00:00:00Z" } : {}),
  },
  spec: { containers: [{ name: "c" }] },
  status: {
    phase: state === "failed" ? "Failed" : state === "pending" ? "Pending" : "Running",
    conditions: [
      { type: "Ready", status: state === "ready" || state === "deleting" ? "True" : "False" },
    ],
  },
});

describe("decideStatefulSet", () => {
  it("OrderedReady: creates the next ordinal only when all lower ones are Running and Ready", () => {
    expect(decideStatefulSet(sts(), [], "r1", "r1", NOW).create).toEqual([
      { ordinal: 0, revision: "r1" },
    ]);
    expect(decideStatefulSet(sts(), [pod(0, "r1", "pending")], "r1", "r1", NOW).create).toEqual([]);
    expect(decideStatefulSet(sts(), [pod(0, "r1")], "r1", "r1", NOW).create).toEqual([
      { ordinal: 1, revision: "r1" },
    ]);
  });

  it("Parallel: creates every missing ordinal at once", () => {
    const d = decideStatefulSet(
      sts({ podManagementPolicy: "Parallel" }),
      [pod(1, "r1", "pending")],
      "r1",
      "r1",
      NOW,
    );
    expect(d.create.map((c) => c.ordinal)).toEqual([0, 2]);
  });

  it("recreates failed pods with the upstream event", () => {
    const failed = pod(0, "r1", "failed");
    const d = decideStatefulSet(sts(), [failed], "r1", "r1", NOW);
    expect(d.delete).toEqual([failed]);
    expect(d.events[0]).toMatchObject({ reason: "RecreatingFailedPod" });
  });

  it("scales down from the highest ordinal, one at a time", () => {
    const pods = [pod(0, "r1"), pod(1, "r1"), pod(2, "r1"), pod(3, "r1")];
    const d = decideStatefulSet(sts({ replicas: 2 }), pods, "r1", "r1", NOW);
    expect(d.delete.map((p) => p.metadata?.name)).toEqual(["web-3"]);
    // While web-3 terminates, nothing else goes.
    const waiting = decideStatefulSet(
      sts({ replicas: 2 }),
      [pod(0, "r1"), pod(1, "r1"), pod(2, "r1"), pod(3, "r1", "deleting")],
      "r1",
      "r1",
      NOW,
    );
    expect(waiting.delete).toEqual([]);
    const parallel = decideStatefulSet(
      sts({ replicas: 2, podManagementPolicy: "Parallel" }),
      pods,
      "r1",
      "r1",
      NOW,
    );
    expect(parallel.delete.map((p) => p.metadata?.name)).toEqual(["web-3", "web-2"]);
  });

  it("rolls from the highest ordinal down to the partition, one pod at a time", () => {
    const pods = [pod(0, "r1"), pod(1, "r1"), pod(2, "r1")];
    const d = decideStatefulSet(sts(), pods, "r1", "r2", NOW);
    expect(d.delete.map((p) => p.metadata?.name)).toEqual(["web-2"]);
    expect(d.status).toMatchObject({
      currentReplicas: 3,
      updatedReplicas: 0,
      currentRevision: "r1",
      updateRevision: "r2",
    });
    const next = decideStatefulSet(
      sts(),
      [pod(0, "r1"), pod(1, "r1"), pod(2, "r2")],
      "r1",
      "r2",
      NOW,
    );
    expect(next.delete.map((p) => p.metadata?.name)).toEqual(["web-1"]);
    const partitioned = sts({
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } },
    });
    expect(
      decideStatefulSet(partitioned, [pod(0, "r1"), pod(1, "r1"), pod(2, "r2")], "r1", "r2", NOW)
        .delete,
    ).toEqual([]);
    // Below the partition, a recreated pod keeps the current revision.
    expect(
      decideStatefulSet(partitioned, [pod(1, "r1"), pod(2, "r2")], "r1", "r2", NOW).create,
    ).toEqual([{ ordinal: 0, revision: "r1" }]);
    expect(
      decideStatefulSet(sts({ updateStrategy: { type: "OnDelete" } }), pods, "r1", "r2", NOW)
        .delete,
    ).toEqual([]);
  });

  it("makes the update revision current once every replica runs it", () => {
    const d = decideStatefulSet(sts(), [pod(0, "r2"), pod(1, "r2"), pod(2, "r2")], "r1", "r2", NOW);
    expect(d.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      currentReplicas: 3,
      currentRevision: "r2",
      updateRevision: "r2",
      observedGeneration: 2,
    });
  });
});

describe("newStatefulPod", () => {
  it("gives a stable identity, the ordinal labels and the claims", () => {
    const set = sts({
      volumeClaimTemplates: [
        { metadata: { name: "www" }, spec: { accessModes: ["ReadWriteOnce"] } },
      ],
    });
    const pod = newStatefulPod(
      set,
      statefulSetControllerRef(set),
      set.spec?.template ?? {},
      2,
      "web-abc",
    );
    expect(pod.metadata?.name).toBe("web-2");
    expect(pod.metadata?.labels).toEqual({
      app: "web",
      "statefulset.kubernetes.io/pod-name": "web-2",
      "apps.kubernetes.io/pod-index": "2",
      "controller-revision-hash": "web-abc",
    });
    expect(pod.spec?.hostname).toBe("web-2");
    expect(pod.spec?.subdomain).toBe("nginx");
    expect(pod.spec?.volumes).toEqual([
      { name: "www", persistentVolumeClaim: { claimName: "www-web-2" } },
    ]);
  });
});
