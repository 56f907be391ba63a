import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControllerRevision } from "../../src/common/controller-revisions.js";
import { ControllerResources as R } from "../../src/common/resources.js";
import type { Pod } from "../../src/common/types.js";
import { type DaemonSet, daemonSetController, targetNodeOf } from "../../src/daemonset/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";
import { playNodes } from "../support/pod-status.js";

const NS = "default";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("the daemonset controller on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [daemonSetController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const dsPods = async (): Promise<Pod[]> =>
    (await plane.client.resource<Pod>(R.pods).namespace(NS).list({ labelSelector: "app=agent" }))
      .items;
  const play = () =>
    playNodes(plane.client, NS, (p) => p.metadata?.labels?.app === "agent", targetNodeOf);

  it("runs one pod per fitting node, reports status, and rolls a new template node by node", async () => {
    const nodes = plane.client.resource(R.nodes);
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1", labels: { role: "worker" } },
    });
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n2", labels: { role: "worker" } },
    });
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n3", labels: { role: "worker" } },
      spec: { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
    });
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n4", labels: { role: "control" } },
    });

    const daemonSets = plane.client.resource<DaemonSet>(R.daemonSets).namespace(NS);
    await daemonSets.create({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent" },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: "agent" } },
          spec: { nodeSelector: { role: "worker" }, containers: [{ name: "c", image: "agent:1" }] },
        },
      },
    });

    const pods = await eventually(
      "pods for n1 and n2",
      async () => {
        const p = await dsPods();
        return p.length === 2 ? p : undefined;
      },
      WAIT,
    );
    expect(pods.map(targetNodeOf).sort()).toEqual(["n1", "n2"]);
    expect(pods[0]?.spec?.nodeName).toBeUndefined();

    // The scheduler and kubelets do their part; the status counts follow.
    const ready = await eventually(
      "all desired pods available",
      async () => {
        await play();
        const d = await daemonSets.get("agent");
        return d.status?.numberAvailable === 2 &&
          d.status.observedGeneration === d.metadata?.generation
          ? d
          : undefined;
      },
      WAIT,
    );
    expect(ready.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
      numberUnavailable: 0,
    });

    // A new image: pods are replaced one node at a time, never both down.
    const current = await daemonSets.get("agent");
    const template = current.spec?.template;
    await daemonSets.update({
      ...current,
      spec: {
        ...current.spec,
        template: {
          ...template,
          spec: { ...template?.spec, containers: [{ name: "c", image: "agent:2" }] },
        },
      },
    });
    let worstAvailable = 2;
    const rolled = await eventually(
      "every node runs agent:2",
      async () => {
        await play();
        const d = await daemonSets.get("agent");
        worstAvailable = Math.min(
          worstAvailable,
          (await dsPods()).filter(
            (p) => !p.metadata?.deletionTimestamp && p.status?.phase === "Running",
          ).length,
        );
        const images = (await dsPods()).map((p) => p.spec?.containers?.[0]?.image);
        return d.status?.updatedNumberScheduled === 2 &&
          d.status.numberAvailable === 2 &&
          images.length === 2 &&
          images.every((i) => i === "agent:2")
          ? d
          : undefined;
      },
      WAIT,
    );
    expect(worstAvailable).toBeGreaterThanOrEqual(1);
    expect(rolled.status?.observedGeneration).toBe(rolled.metadata?.generation);

    const revisions = (
      await plane.client.resource<ControllerRevision>(R.controllerRevisions).namespace(NS).list()
    ).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(revisions.every((r) => r.metadata?.ownerReferences?.[0]?.kind === "DaemonSet")).toBe(
      true,
    );

    // A node that stops fitting loses its pod.
    const n2 = await nodes.get("n2");
    await nodes.update({ ...n2, metadata: { ...n2.metadata, labels: { role: "control" } } });
    await eventually(
      "only n1 keeps a pod",
      async () => {
        await play();
        const p = (await dsPods()).filter((x) => !x.metadata?.deletionTimestamp);
        return p.length === 1 && targetNodeOf(p[0] as Pod) === "n1" ? true : undefined;
      },
      WAIT,
    );
  });
});
