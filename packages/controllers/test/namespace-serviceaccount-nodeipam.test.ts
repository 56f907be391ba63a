import { type KubeObject, Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Node } from "../src/common/types.js";
import { namespaceControllerDescriptor } from "../src/namespace/namespace-controller.js";
import { CidrAllocator } from "../src/nodeipam/allocator.js";
import { nodeIpamControllerDescriptor } from "../src/nodeipam/node-ipam-controller.js";
import { REPLICA_SET_KIND } from "../src/replicaset/kind.js";
import { replicaSetControllerDescriptor } from "../src/replicaset/replica-set-controller.js";
import { serviceAccountControllerDescriptor } from "../src/serviceaccount/service-account-controller.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type KubeletStandIn, startKubeletStandIn } from "./support/kubelet-stand-in.js";
import { type RunningControllers, runTestControllers } from "./support/run-controllers.js";

const node = (name: string, podCIDR?: string): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
});

describe("CIDR allocation", () => {
  it("hands out each subnet once, skips held ones, and frees released ones", () => {
    const a = new CidrAllocator("10.244.0.0/22", 24);
    expect(a.capacity).toBe(4);
    expect(a.occupy("10.244.1.0/24")).toBe(true);
    expect(a.occupy("10.245.0.0/24")).toBe(false);
    expect([a.allocate(), a.allocate(), a.allocate(), a.allocate()]).toEqual([
      "10.244.0.0/24",
      "10.244.2.0/24",
      "10.244.3.0/24",
      undefined,
    ]);
    a.release("10.244.2.0/24");
    expect(a.allocate()).toBe("10.244.2.0/24");
  });
});

describe("the namespace, service account and node IPAM controllers", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let controllers: RunningControllers | undefined;
  let kubelet: KubeletStandIn;
  const start = () =>
    runTestControllers(
      plane.rest,
      [
        serviceAccountControllerDescriptor,
        namespaceControllerDescriptor,
        nodeIpamControllerDescriptor,
        replicaSetControllerDescriptor(REPLICA_SET_KIND),
      ],
      { clusterCidr: "10.244.0.0/16", nodeCidrMaskSize: 24 },
    );

  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    kubelet = startKubeletStandIn(plane.client);
    controllers = start();
  }, 120_000);

  afterAll(async () => {
    await kubelet?.stop();
    await controllers?.stop();
    await plane?.stop();
  });

  it("gives every namespace a default ServiceAccount, and re-creates it when deleted", async () => {
    const sas = plane.client.resource(Resources.serviceAccounts);
    await plane.client
      .resource(Resources.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    await eventually("team-a/default and kube-system/default", async () => {
      await sas.namespace("team-a").get("default");
      await sas.namespace("kube-system").get("default");
      return true;
    });
    const first = await sas.namespace("team-a").get("default");
    await sas.namespace("team-a").delete("default");
    await eventually("team-a/default to come back", async () => {
      const again = await sas.namespace("team-a").get("default");
      return again.metadata?.uid !== first.metadata?.uid ? true : undefined;
    });
  });

  it("empties a deleted namespace, reports its conditions, and removes it through finalize", async () => {
    const namespaces = plane.client.resource<KubeObject & { status?: { phase?: string } }>(
      Resources.namespaces,
    );
    await namespaces.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
    await plane.client
      .resource(Resources.configMaps)
      .namespace("doomed")
      .create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "settings", namespace: "doomed" },
        data: { a: "b" },
      });
    await plane.client
      .resource(Resources.replicaSets)
      .namespace("doomed")
      .create({
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name: "rs", namespace: "doomed" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "x" } },
          template: {
            metadata: { labels: { app: "x" } },
            spec: { containers: [{ name: "c", image: "busybox" }] },
          },
        },
      });
    await eventually("the ReplicaSet's pods to run", async () => {
      const pods = await plane.client.resource(Resources.pods).namespace("doomed").list();
      return pods.items.length === 2 ? true : undefined;
    });
    // A secret whose finalizer we hold for a moment: the namespace must wait for it.
    await plane.client
      .resource(Resources.secrets)
      .namespace("doomed")
      .create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "held", namespace: "doomed", finalizers: ["example.com/hold"] },
      });
    await namespaces.delete("doomed");
    const waiting = await eventually("the namespace to report a finalizer remaining", async () => {
      const ns = await namespaces.get("doomed");
      const conditions = (
        ns.status as { conditions?: Array<{ type: string; status: string; message?: string }> }
      )?.conditions;
      const held = conditions?.find((c) => c.type === "NamespaceFinalizersRemaining");
      return held?.status === "True" ? { ns, conditions } : undefined;
    });
    expect(waiting.ns.status?.phase).toBe("Terminating");
    expect(waiting.conditions?.find((c) => c.type === "NamespaceContentRemaining")).toMatchObject({
      status: "True",
    });
    expect(
      waiting.conditions?.find((c) => c.type === "NamespaceContentRemaining")?.message,
    ).toContain("secrets.");
    expect(
      waiting.conditions?.find((c) => c.type === "NamespaceDeletionDiscoveryFailure")?.status,
    ).toBe("False");
    const configMaps = await plane.client.resource(Resources.configMaps).namespace("doomed").list();
    expect(configMaps.items).toHaveLength(0);
    await plane.client
      .resource(Resources.secrets)
      .namespace("doomed")
      .patch("held", "merge", { metadata: { finalizers: null } });
    await eventually(
      "the namespace to be gone",
      async () => {
        try {
          await namespaces.get("doomed");
          return undefined;
        } catch (err) {
          return String(err).includes("not found") || (err as { code?: number }).code === 404
            ? true
            : undefined;
        }
      },
      { timeoutMs: 60_000 },
    );
  });

  it("allocates pod CIDRs once per node and recovers allocations after a restart", async () => {
    const nodes = plane.client.resource<Node>(Resources.nodes);
    await nodes.create(node("held", "10.244.0.0/24"));
    await nodes.create(node("n1"));
    await nodes.create(node("n2"));
    const cidrs = await eventually("n1 and n2 to get pod CIDRs", async () => {
      const a = (await nodes.get("n1")).spec?.podCIDR;
      const b = (await nodes.get("n2")).spec?.podCIDR;
      return a && b ? [a, b] : undefined;
    });
    expect(new Set([...cidrs, "10.244.0.0/24"]).size).toBe(3);
    expect((await nodes.get("n1")).spec?.podCIDRs).toEqual([cidrs[0]]);
    // Restart the controllers: existing allocations are recovered, not repeated.
    await controllers?.stop();
    controllers = start();
    await nodes.create(node("n3"));
    const third = await eventually(
      "n3 to get a pod CIDR",
      async () => (await nodes.get("n3")).spec?.podCIDR || undefined,
    );
    expect([...cidrs, "10.244.0.0/24"]).not.toContain(third);
    expect((await nodes.get("n1")).spec?.podCIDR).toBe(cidrs[0]);
  });
});
