import { type KubeObject, Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod, ReplicaSet } from "../src/common/types.js";
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND } from "../src/replicaset/kind.js";
import { replicaSetControllerDescriptor } from "../src/replicaset/replica-set-controller.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type KubeletStandIn, startKubeletStandIn } from "./support/kubelet-stand-in.js";
import { type RunningControllers, runTestControllers } from "./support/run-controllers.js";
import { slowWatchClient } from "./support/slow-watch-client.js";

const NS = "rs-test";

function replicaSet(name: string, replicas: number, app = name): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: "app", image: "busybox" }] },
      },
    },
  };
}

describe("the ReplicaSet controller on the real apiserver", { timeout: 120_000 }, () => {
  let plane: InProcessControlPlane;
  let controllers: RunningControllers;
  let kubelet: KubeletStandIn;
  const notReady = new Set<string>();
  const rsClient = () => plane.client.resource<ReplicaSet>(Resources.replicaSets).namespace(NS);
  const podClient = () => plane.client.resource<Pod>(Resources.pods).namespace(NS);
  const podsOf = async (app: string) =>
    (await podClient().list({ labelSelector: `app=${app}` })).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );

  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    await plane.client
      .resource(Resources.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    // The controllers' pod informer lags 150 ms behind the apiserver, so
    // syncs regularly run before the pods they created show up in the cache.
    controllers = runTestControllers(
      plane.rest,
      [
        replicaSetControllerDescriptor(REPLICA_SET_KIND),
        replicaSetControllerDescriptor(REPLICATION_CONTROLLER_KIND),
      ],
      {},
      slowWatchClient(plane.rest, "pods", 150),
    );
    kubelet = startKubeletStandIn(plane.client, {
      ready: (pod) => !notReady.has(pod.metadata.name ?? ""),
    });
  }, 120_000);

  afterAll(async () => {
    await kubelet?.stop();
    await controllers?.stop();
    await plane?.stop();
  });

  it("creates pods owned by the ReplicaSet and reports ready and available replicas", async () => {
    await rsClient().create(replicaSet("web", 3));
    const rs = await eventually(
      "web to report 3 available replicas",
      async () => {
        const got = await rsClient().get("web");
        return got.status?.availableReplicas === 3 ? got : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(rs.status).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    const pods = await podsOf("web");
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: "web",
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
  });

  it("never over-creates under a burst of resyncs while creations are in flight", async () => {
    const created = new Set<string>();
    const watchStop = new AbortController();
    const watching = (async () => {
      for await (const event of podClient().watch(
        { labelSelector: "app=burst" },
        watchStop.signal,
      )) {
        if (event.type === "ADDED") created.add((event.object as KubeObject).metadata?.name ?? "");
      }
    })().catch(() => undefined);
    await rsClient().create(replicaSet("burst", 30));
    // Every annotation change is an RS update event, so a resync of the key.
    for (let i = 0; i < 25; i++) {
      await rsClient().patch("burst", "merge", { metadata: { annotations: { poke: String(i) } } });
    }
    await eventually(
      "burst to report 30 replicas",
      async () => ((await rsClient().get("burst")).status?.replicas === 30 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    // Give any stray extra creation the chance to show up, then count.
    await eventually("the watch to have seen 30 pods", async () =>
      created.size >= 30 ? true : undefined,
    );
    expect((await podsOf("burst")).length).toBe(30);
    watchStop.abort();
    await watching;
    expect(created.size).toBe(30);
  });

  it("adopts a matching orphan and releases a pod whose labels stop matching", async () => {
    await rsClient().create(replicaSet("adopt", 2));
    const rs = await eventually("adopt to have 2 pods", async () => {
      const got = await rsClient().get("adopt");
      return got.status?.replicas === 2 ? got : undefined;
    });
    // An orphan with matching labels: adopted, and the RS then deletes one extra pod.
    await podClient().create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "orphan", namespace: NS, labels: { app: "adopt" } },
      spec: { containers: [{ name: "app", image: "busybox" }] },
    });
    await eventually("the orphan to be adopted or deleted as a surplus", async () => {
      const pods = await podsOf("adopt");
      const orphan = await podClient()
        .get("orphan")
        .catch(() => undefined);
      const adopted =
        orphan === undefined ||
        orphan.metadata.ownerReferences?.some(
          (r) => r.uid === rs.metadata.uid && r.controller === true,
        );
      return adopted && pods.length === 2 ? true : undefined;
    });
    // Relabel one owned pod: released (owner reference removed), and replaced.
    const [victim] = await podsOf("adopt");
    await podClient().patch(victim!.metadata.name!, "merge", {
      metadata: { labels: { app: "gone" } },
    });
    await eventually("the relabelled pod to be released and replaced", async () => {
      const released = await podClient().get(victim!.metadata.name!);
      const pods = await podsOf("adopt");
      return (released.metadata.ownerReferences ?? []).length === 0 && pods.length === 2
        ? true
        : undefined;
    });
  });

  it("scales down the not-ready pods first", async () => {
    await rsClient().create(replicaSet("rank", 4));
    await eventually(
      "rank to have 4 ready pods",
      async () => ((await rsClient().get("rank")).status?.readyReplicas === 4 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const pods = await podsOf("rank");
    const sick = pods.slice(0, 2).map((p) => p.metadata.name!);
    for (const name of sick) notReady.add(name);
    kubelet.resync();
    await eventually("two rank pods to turn not ready", async () =>
      (await rsClient().get("rank")).status?.readyReplicas === 2 ? true : undefined,
    );
    await rsClient().patch("rank", "merge", { spec: { replicas: 2 } });
    await eventually("rank to keep only its ready pods", async () => {
      const left = (await podsOf("rank")).map((p) => p.metadata.name!);
      return left.length === 2 ? left : undefined;
    }).then((left) => {
      expect(left.sort()).toEqual(
        pods
          .map((p) => p.metadata.name!)
          .filter((n) => !sick.includes(n))
          .sort(),
      );
    });
  });

  it("runs ReplicationControllers with the same logic", async () => {
    const rc = plane.client
      .resource<ReplicaSet>({
        group: "",
        version: "v1",
        resource: "replicationcontrollers",
        namespaced: true,
      })
      .namespace(NS);
    await rc.create({
      apiVersion: "v1",
      kind: "ReplicationController",
      metadata: { name: "legacy", namespace: NS },
      spec: {
        replicas: 2,
        selector: { app: "legacy" },
        template: {
          metadata: { labels: { app: "legacy" } },
          spec: { containers: [{ name: "app", image: "busybox" }] },
        },
      },
    });
    await eventually("legacy to report 2 ready replicas", async () =>
      (await rc.get("legacy")).status?.readyReplicas === 2 ? true : undefined,
    );
    const pods = await podsOf("legacy");
    expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.kind)).toEqual([
      "ReplicationController",
      "ReplicationController",
    ]);
  });
});
