import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import type { Pod } from "../../src/common/types.js";
import { type StatefulSet, statefulSetController } from "../../src/statefulset/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";
import { playNodes } from "../support/pod-status.js";

const NS = "default";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("the statefulset controller on a real apiserver", { timeout: 240_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [statefulSetController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const sets = () => plane.client.resource<StatefulSet>(R.statefulSets).namespace(NS);
  const webPods = async (): Promise<Pod[]> =>
    (await plane.client.resource<Pod>(R.pods).namespace(NS).list({ labelSelector: "app=web" }))
      .items;
  const names = async () =>
    (await webPods())
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.metadata?.name)
      .sort();
  const play = () =>
    playNodes(
      plane.client,
      NS,
      (p) => p.metadata?.labels?.app === "web",
      () => "node-1",
    );

  it("creates pods in order with stable identities and claims, scales down in reverse, and rolls updates", async () => {
    await sets().create({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "web" },
      spec: {
        replicas: 3,
        serviceName: "nginx",
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "nginx:1" }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "www" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });

    // Until web-0 is Running and Ready, it is the only pod.
    await eventually(
      "web-0 created and counted",
      async () => ((await sets().get("web")).status?.replicas === 1 ? true : undefined),
      WAIT,
    );
    expect(await names()).toEqual(["web-0"]);
    const web0 = (await webPods())[0] as Pod;
    expect(web0.spec?.hostname).toBe("web-0");
    expect(web0.spec?.subdomain).toBe("nginx");
    expect(web0.metadata?.labels).toMatchObject({
      "statefulset.kubernetes.io/pod-name": "web-0",
      "apps.kubernetes.io/pod-index": "0",
    });

    const seenOrder: string[] = [];
    await eventually(
      "three ready replicas",
      async () => {
        for (const n of await names()) if (n && !seenOrder.includes(n)) seenOrder.push(n);
        await play();
        const s = await sets().get("web");
        return s.status?.readyReplicas === 3 ? s : undefined;
      },
      WAIT,
    );
    expect(seenOrder).toEqual(["web-0", "web-1", "web-2"]);
    const claims = (await plane.client.resource(R.persistentVolumeClaims).namespace(NS).list())
      .items;
    expect(claims.map((c) => c.metadata?.name).sort()).toEqual([
      "www-web-0",
      "www-web-1",
      "www-web-2",
    ]);

    // A new image rolls from web-2 down to web-0.
    const before = await sets().get("web");
    const template = before.spec?.template;
    await sets().update({
      ...before,
      spec: {
        ...before.spec,
        template: {
          ...template,
          spec: { ...template?.spec, containers: [{ name: "c", image: "nginx:2" }] },
        },
      },
    });
    const replaced: string[] = [];
    const rolled = await eventually(
      "all pods on nginx:2 and the revision current",
      async () => {
        await play();
        for (const p of await webPods()) {
          const n = p.metadata?.name ?? "";
          if (p.spec?.containers?.[0]?.image === "nginx:2" && !replaced.includes(n))
            replaced.push(n);
        }
        const s = await sets().get("web");
        // What `kubectl rollout status` checks: the new generation observed, all updated and ready.
        return s.status?.observedGeneration === s.metadata?.generation &&
          s.status?.updateRevision !== before.status?.updateRevision &&
          s.status?.updatedReplicas === 3 &&
          s.status.readyReplicas === 3 &&
          s.status.currentRevision === s.status.updateRevision
          ? s
          : undefined;
      },
      WAIT,
    );
    expect(replaced).toEqual(["web-2", "web-1", "web-0"]);
    expect(rolled.status?.currentReplicas).toBe(3);

    // Scale down to one: web-2 goes first, then web-1; claims stay.
    await sets().patch("web", "merge", { spec: { replicas: 1 } });
    const gone: string[] = [];
    await eventually(
      "only web-0 left",
      async () => {
        await play();
        const now = await names();
        for (const n of ["web-2", "web-1"]) if (!now.includes(n) && !gone.includes(n)) gone.push(n);
        return now.length === 1 && now[0] === "web-0" ? true : undefined;
      },
      WAIT,
    );
    expect(gone).toEqual(["web-2", "web-1"]);
    const left = (await plane.client.resource(R.persistentVolumeClaims).namespace(NS).list()).items;
    expect(left).toHaveLength(3);
  });
});
