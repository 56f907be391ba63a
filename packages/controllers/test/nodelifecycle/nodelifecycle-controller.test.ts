import { formatMicroTime, type Lease } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import type { Node, Pod } from "../../src/common/types.js";
import { nodeLifecycleController, taintEvictionController } from "../../src/nodelifecycle/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";

const WAIT = { timeoutMs: 90_000, intervalMs: 250 };
const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

describe("node lifecycle and taint eviction on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [nodeLifecycleController, taintEvictionController], {
      nodeMonitorGracePeriodMs: 1500,
    });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const nodes = () => plane.client.resource<Node>(R.nodes);
  const postReady = async () => {
    const n = await nodes().get("n1");
    await nodes().updateStatus({
      ...n,
      status: {
        ...n.status,
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            lastHeartbeatTime: iso(),
            lastTransitionTime: iso(),
          },
        ],
      },
    });
  };

  it("marks a silent node Unknown and unreachable, evicts by tolerationSeconds, and untaints on recovery", async () => {
    await nodes().create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    await postReady();
    const leases = plane.client.resource<Lease>(R.leases).namespace("kube-node-lease");
    await leases.create({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "n1" },
      spec: {
        holderIdentity: "n1",
        leaseDurationSeconds: 40,
        renewTime: formatMicroTime(Date.now()),
      },
    });
    const pods = plane.client.resource<Pod>(R.pods).namespace("default");
    const podOn = (name: string, tolerations: unknown[] = []) =>
      pods.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: {
          nodeName: "n1",
          tolerations,
          containers: [{ name: "c", image: "busybox" }],
        } as Pod["spec"],
      });
    await podOn("short", [
      {
        key: "node.kubernetes.io/unreachable",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 1,
      },
    ]);
    // The apiserver gives this one the default 300 s tolerations.
    await podOn("long");

    // The kubelet falls silent (no lease renewals, no status): after the grace period the node is Unknown.
    const silent = await eventually(
      "n1 Ready Unknown with unreachable taints",
      async () => {
        const n = await nodes().get("n1");
        const ready = n.status?.conditions?.find((c) => c.type === "Ready");
        const keys = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
        return ready?.status === "Unknown" && keys.length === 2 ? n : undefined;
      },
      WAIT,
    );
    expect(silent.status?.conditions?.[0]).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    expect((silent.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort()).toEqual([
      "node.kubernetes.io/unreachable:NoExecute",
      "node.kubernetes.io/unreachable:NoSchedule",
    ]);
    expect(silent.spec?.taints?.find((t) => t.effect === "NoExecute")?.timeAdded).toBeDefined();

    // "short" tolerates the taint for 1 s, then is evicted; "long" (300 s) stays.
    const evicted = await eventually(
      "short evicted",
      async () => {
        const p = await pods.get("short").catch(() => undefined);
        return p === undefined || p.metadata?.deletionTimestamp
          ? (p ?? ({ metadata: {} } as Pod))
          : undefined;
      },
      WAIT,
    );
    if (evicted.status) {
      expect(evicted.status.conditions?.find((c) => c.type === "DisruptionTarget")).toMatchObject({
        status: "True",
        reason: "DeletionByTaintManager",
      });
    }
    const long = await pods.get("long");
    expect(long.metadata?.deletionTimestamp).toBeUndefined();

    // The kubelet comes back: Ready again, and the controller lifts its taints.
    await postReady();
    await eventually(
      "taints removed",
      async () => ((await nodes().get("n1")).spec?.taints ?? []).length === 0 || undefined,
      WAIT,
    );
  });
});
