import { describe, expect, it } from "vitest";
import type { Node, Pod, PodPhase, Taint } from "../../src/common/types.js";
import {
  type DaemonSet,
  daemonSetControllerRef,
  decideDaemonSet,
  newDaemonPod,
  nodeFit,
  targetNodeOf,
} from "../../src/daemonset/index.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");

const ds = (spec: Partial<NonNullable<DaemonSet["spec"]>> = {}): DaemonSet => ({
  metadata: { name: "agent", namespace: "kube-system", uid: "ds-uid", generation: 3 },
  spec: {
    selector: { matchLabels: { app: "agent" } },
    template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c" }] } },
    ...spec,
  },
});

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node => ({
  metadata: { name, labels },
  spec: { taints },
});

const daemonPod = (
  node: string,
  hash: string,
  opts: { ready?: boolean; phase?: PodPhase; created?: string } = {},
): Pod => ({
  metadata: {
    name: `agent-${node}-${hash}-${opts.created ?? "0"}`,
    namespace: "kube-system",
    creationTimestamp: `2026-02-01T00:00:0${opts.created ?? "0"}Z`,
    labels: { app: "agent", "controller-revision-hash": hash },
  },
  spec: { nodeName: node, containers: [{ name: "c" }] },
  status: {
    phase: opts.phase ?? "Running",
    conditions: [
      {
        type: "Ready",
        status: opts.ready === false ? "False" : "True",
        lastTransitionTime: "2026-02-01T00:00:00Z",
      },
    ],
  },
});

describe("nodeFit", () => {
  it("honours nodeSelector, required node affinity and taints, with the DaemonSet tolerations", () => {
    const selective = ds({
      template: {
        metadata: { labels: { app: "agent" } },
        spec: { containers: [{ name: "c" }], nodeSelector: { role: "edge" } },
      },
    });
    expect(nodeFit(selective, node("a", { role: "edge" }))).toEqual({
      shouldRun: true,
      shouldContinueRunning: true,
    });
    expect(nodeFit(selective, node("b"))).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });

    const affinity = ds({
      template: {
        metadata: {},
        spec: {
          containers: [{ name: "c" }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: "zone", operator: "In", values: ["z1", "z2"] }] },
                ],
              },
            },
          },
        },
      },
    });
    expect(nodeFit(affinity, node("a", { zone: "z2" })).shouldRun).toBe(true);
    expect(nodeFit(affinity, node("a", { zone: "z3" })).shouldRun).toBe(false);

    // A NoSchedule taint keeps new pods out but lets a running one stay; NoExecute does neither.
    expect(
      nodeFit(ds(), node("t", {}, [{ key: "dedicated", value: "db", effect: "NoSchedule" }])),
    ).toEqual({
      shouldRun: false,
      shouldContinueRunning: true,
    });
    expect(nodeFit(ds(), node("t", {}, [{ key: "dedicated", effect: "NoExecute" }]))).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });
    // The automatic tolerations cover unreachable, not-ready and unschedulable nodes.
    expect(
      nodeFit(
        ds(),
        node("sick", {}, [
          { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
          { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
          { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
        ]),
      ),
    ).toEqual({ shouldRun: false, shouldContinueRunning: true });
  });
});

describe("newDaemonPod", () => {
  it("targets the node through node affinity, with the DaemonSet tolerations and the revision hash", () => {
    const pod = newDaemonPod(ds(), daemonSetControllerRef(ds()), "node-1", "abc");
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(targetNodeOf(pod)).toBe("node-1");
    expect(pod.metadata?.labels).toEqual({ app: "agent", "controller-revision-hash": "abc" });
    expect(pod.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      "node.kubernetes.io/not-ready:NoExecute",
      "node.kubernetes.io/unreachable:NoExecute",
      "node.kubernetes.io/disk-pressure:NoSchedule",
      "node.kubernetes.io/memory-pressure:NoSchedule",
      "node.kubernetes.io/pid-pressure:NoSchedule",
      "node.kubernetes.io/unschedulable:NoSchedule",
    ]);
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      controller: true,
    });
  });
});

describe("decideDaemonSet", () => {
  it("creates a pod on each fitting node and counts status", () => {
    const d = decideDaemonSet(
      ds(),
      [node("a"), node("b"), node("c", {}, [{ key: "x", effect: "NoSchedule" }])],
      [daemonPod("a", "h1")],
      "h1",
      NOW,
    );
    expect(d.create).toEqual(["b"]);
    expect(d.delete).toEqual([]);
    expect(d.status).toEqual({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 1,
      updatedNumberScheduled: 1,
      observedGeneration: 3,
    });
  });

  it("replaces failed pods, removes duplicates and pods on nodes that no longer fit", () => {
    const failed = daemonPod("a", "h1", { phase: "Failed" });
    const older = daemonPod("b", "h1", { created: "1" });
    const newer = daemonPod("b", "h1", { created: "2" });
    const evicted = daemonPod("c", "h1");
    const d = decideDaemonSet(
      ds(),
      [node("a"), node("b"), node("c", {}, [{ key: "x", effect: "NoExecute" }])],
      [failed, older, newer, evicted],
      "h1",
      NOW,
    );
    expect(d.create).toEqual(["a"]);
    expect(d.delete).toEqual([failed, newer, evicted]);
    expect(d.events[0]?.reason).toBe("FailedDaemonPod");
    expect(d.status.numberMisscheduled).toBe(1);
  });

  it("rolls old pods within maxUnavailable, taking unavailable old pods first", () => {
    const nodes = [node("a"), node("b"), node("c"), node("d")];
    const pods = [
      daemonPod("a", "old"),
      daemonPod("b", "old", { ready: false }),
      daemonPod("c", "old"),
      daemonPod("d", "new"),
    ];
    const d = decideDaemonSet(
      ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } } }),
      nodes,
      pods,
      "new",
      NOW,
    );
    // b is down already (1 unavailable); one more may go.
    expect(d.delete.map((p) => p.spec?.nodeName)).toEqual(["b", "a"]);
    expect(d.status.updatedNumberScheduled).toBe(1);

    const onDelete = decideDaemonSet(
      ds({ updateStrategy: { type: "OnDelete" } }),
      nodes,
      pods,
      "new",
      NOW,
    );
    expect(onDelete.delete).toEqual([]);
  });

  it("counts pods available only after minReadySeconds", () => {
    const d = decideDaemonSet(
      ds({ minReadySeconds: 3600 * 24 * 60 }),
      [node("a")],
      [daemonPod("a", "h")],
      "h",
      NOW,
    );
    expect(d.status.numberReady).toBe(1);
    expect(d.status.numberAvailable).toBe(0);
  });
});
