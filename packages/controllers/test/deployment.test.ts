import { Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "../src/common/types.js";
import { deploymentControllerDescriptor } from "../src/deployment/deployment-controller.js";
import { REPLICA_SET_KIND } from "../src/replicaset/kind.js";
import { replicaSetControllerDescriptor } from "../src/replicaset/replica-set-controller.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type KubeletStandIn, startKubeletStandIn } from "./support/kubelet-stand-in.js";
import { watchPodCensus } from "./support/pod-census.js";
import { type RunningControllers, runTestControllers } from "./support/run-controllers.js";

const NS = "deploy-test";

function deployment(
  name: string,
  replicas: number,
  image: string,
  extra: Deployment["spec"] = {},
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image }] },
      },
      ...extra,
    },
  };
}

const imageOf = (obj: { spec?: { template?: { spec?: Record<string, unknown> } } }) =>
  (obj.spec?.template?.spec?.containers as Array<{ image: string }> | undefined)?.[0]?.image;

describe("the Deployment controller on the real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let controllers: RunningControllers;
  let kubelet: KubeletStandIn;
  const dClient = () => plane.client.resource<Deployment>(Resources.deployments).namespace(NS);
  const rsClient = () => plane.client.resource<ReplicaSet>(Resources.replicaSets).namespace(NS);
  const podClient = () => plane.client.resource<Pod>(Resources.pods).namespace(NS);
  const rsOf = async (app: string) =>
    (await rsClient().list({ labelSelector: `app=${app}` })).items.sort(
      (a, b) =>
        Number(a.metadata.annotations?.["deployment.kubernetes.io/revision"]) -
        Number(b.metadata.annotations?.["deployment.kubernetes.io/revision"]),
    );
  /** What kubectl rollout status checks, returning the deployment once rolled out. */
  const rolledOut = (name: string, timeoutMs = 90_000) =>
    eventually(
      `${name} to roll out`,
      async () => {
        const d = await dClient().get(name);
        const s = d.status ?? {};
        const want = d.spec?.replicas ?? 1;
        const ok =
          (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
          (s.updatedReplicas ?? 0) === want &&
          (s.replicas ?? 0) === want &&
          (s.availableReplicas ?? 0) === want;
        return ok ? d : undefined;
      },
      { timeoutMs },
    );

  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    await plane.client
      .resource(Resources.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    controllers = runTestControllers(plane.rest, [
      replicaSetControllerDescriptor(REPLICA_SET_KIND),
      deploymentControllerDescriptor,
    ]);
    kubelet = startKubeletStandIn(plane.client, {
      ready: (pod) => pod.metadata.labels?.app !== "stuck",
    });
  }, 120_000);

  afterAll(async () => {
    await kubelet?.stop();
    await controllers?.stop();
    await plane?.stop();
  });

  it("rolls out a new deployment with a hashed ReplicaSet, revision 1 and the Kubernetes conditions", async () => {
    await dClient().create(deployment("web", 3, "busybox:1"));
    const d = await rolledOut("web");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status?.unavailableReplicas ?? 0).toBe(0);
    const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
    const available = d.status?.conditions?.find((c) => c.type === "Available");
    expect(progressing).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    expect(available).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable" });
    const [rs] = await rsOf("web");
    const hash = rs?.metadata.labels?.["pod-template-hash"];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs?.metadata.name).toBe(`web-${hash}`);
    expect(rs?.spec?.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(rs?.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    const pods = (await podClient().list({ labelSelector: "app=web" })).items;
    expect(pods.every((p) => p.metadata.labels?.["pod-template-hash"] === hash)).toBe(true);
  });

  it("rolls an update within maxSurge and maxUnavailable, and a rollback reuses the old ReplicaSet", async () => {
    await dClient().create(
      deployment("roll", 6, "busybox:1", {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } },
      }),
    );
    await rolledOut("roll");
    const census = watchPodCensus(plane.client, NS, "app=roll");
    await eventually("the census to see 6 pods", async () =>
      census.maxPods >= 6 ? true : undefined,
    );
    census.arm();
    await dClient().patch("roll", "merge", {
      spec: { template: { spec: { containers: [{ name: "app", image: "busybox:2" }] } } },
    });
    const d = await rolledOut("roll");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    await census.stop();
    expect(census.maxPods).toBeLessThanOrEqual(6 + 2);
    expect(census.minReady).toBeGreaterThanOrEqual(6 - 1);
    const [old, current] = await rsOf("roll");
    expect(imageOf(old!)).toBe("busybox:1");
    expect(old?.spec?.replicas).toBe(0);
    expect(imageOf(current!)).toBe("busybox:2");
    expect(current?.spec?.replicas).toBe(6);

    // What `kubectl rollout undo` sends: the old ReplicaSet's template (without the hash label).
    const template = structuredClone(old!.spec!.template!);
    delete template.metadata!.labels!["pod-template-hash"];
    await dClient().patch("roll", "json", [
      { op: "replace", path: "/spec/template", value: template },
    ]);
    const back = await rolledOut("roll");
    expect(imageOf(back)).toBe("busybox:1");
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    const after = await rsOf("roll");
    expect(after).toHaveLength(2);
    const reused = after.find((rs) => rs.metadata.uid === old!.metadata.uid);
    expect(reused?.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "3",
      "deployment.kubernetes.io/revision-history": "1",
    });
    expect(reused?.spec?.replicas).toBe(6);
  });

  it("Recreate removes every old pod before the new ReplicaSet gets any", async () => {
    await dClient().create(
      deployment("recreate", 3, "busybox:1", { strategy: { type: "Recreate" } }),
    );
    await rolledOut("recreate");
    const seen: Array<{ image: string | undefined; live: number }> = [];
    const stop = new AbortController();
    const live = new Map<string, Pod>();
    let mixed = false;
    const watching = (async () => {
      for await (const ev of podClient().watch({ labelSelector: "app=recreate" }, stop.signal)) {
        if (ev.type === "ERROR" || ev.type === "BOOKMARK") continue;
        const pod = ev.object as Pod;
        if (ev.type === "DELETED") live.delete(pod.metadata.name ?? "");
        else live.set(pod.metadata.name ?? "", pod);
        const images = new Set(
          [...live.values()].map((p) => imageOf({ spec: { template: { spec: p.spec } } })),
        );
        if (images.size > 1) mixed = true;
        seen.push({ image: [...images][0], live: live.size });
      }
    })().catch(() => undefined);
    await dClient().patch("recreate", "merge", {
      spec: { template: { spec: { containers: [{ name: "app", image: "busybox:2" }] } } },
    });
    const d = await rolledOut("recreate");
    stop.abort();
    await watching;
    expect(imageOf(d)).toBe("busybox:2");
    expect(mixed).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("keeps revisionHistoryLimit old ReplicaSets", async () => {
    await dClient().create(deployment("history", 1, "busybox:1", { revisionHistoryLimit: 1 }));
    await rolledOut("history");
    for (const tag of ["2", "3", "4"]) {
      await dClient().patch("history", "merge", {
        spec: { template: { spec: { containers: [{ name: "app", image: `busybox:${tag}` }] } } },
      });
      await rolledOut("history");
    }
    await eventually("old ReplicaSets beyond the limit to be deleted", async () => {
      const rss = await rsOf("history");
      return rss.length === 2 ? rss : undefined;
    }).then((rss) => {
      expect(rss.map(imageOf)).toEqual(["busybox:3", "busybox:4"]);
    });
  });

  it("does not roll a paused deployment until it is resumed, and scales it meanwhile", async () => {
    await dClient().create(deployment("paused", 2, "busybox:1"));
    await rolledOut("paused");
    await dClient().patch("paused", "merge", {
      spec: {
        paused: true,
        replicas: 3,
        template: { spec: { containers: [{ name: "app", image: "busybox:2" }] } },
      },
    });
    const paused = await eventually("the paused condition", async () => {
      const d = await dClient().get("paused");
      const c = d.status?.conditions?.find((x) => x.type === "Progressing");
      return c?.reason === "DeploymentPaused" && d.status?.replicas === 3 ? d : undefined;
    });
    expect(paused.status?.conditions?.find((x) => x.type === "Progressing")?.status).toBe(
      "Unknown",
    );
    expect(await rsOf("paused")).toHaveLength(1);
    await dClient().patch("paused", "merge", { spec: { paused: false } });
    const d = await rolledOut("paused");
    expect(imageOf(d)).toBe("busybox:2");
    expect(await rsOf("paused")).toHaveLength(2);
  });

  it("reports ProgressDeadlineExceeded when pods never become ready", async () => {
    await dClient().create(deployment("stuck", 2, "busybox:1", { progressDeadlineSeconds: 3 }));
    const d = await eventually(
      "stuck to exceed its progress deadline",
      async () => {
        const got = await dClient().get("stuck");
        const c = got.status?.conditions?.find((x) => x.type === "Progressing");
        return c?.reason === "ProgressDeadlineExceeded" ? got : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(d.status?.conditions?.find((x) => x.type === "Progressing")?.status).toBe("False");
    expect(d.status?.conditions?.find((x) => x.type === "Available")).toMatchObject({
      status: "False",
      reason: "MinimumReplicasUnavailable",
    });
    expect(d.status?.unavailableReplicas).toBe(2);
  });
});
