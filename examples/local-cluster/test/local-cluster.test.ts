import { createDynamicClient, Resources } from "@kubekit/client";
import { eventually, makeTempDir, type TempDir } from "@kubekit/testkit";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../src/index.js";
import { kubectl } from "./kubectl.js";

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - { name: web, image: docker.io/library/busybox:1.36, ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

interface PodList {
  items: Array<{ spec: { nodeName?: string }; status: { phase?: string; podIP?: string } }>;
}

describe("the cluster composed in code", () => {
  let dir: TempDir;
  let cluster: LocalCluster;
  beforeAll(async () => {
    dir = await makeTempDir("local-cluster");
    cluster = await startLocalCluster({ dataDir: dir.path, logger: pino({ level: "warn" }) });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await dir?.remove();
  });

  it("registers its node, Ready, with a pod CIDR from the node IPAM controller", async () => {
    const node = await eventually("node local Ready with a podCIDR", async () => {
      const out = await kubectl(cluster.kubeconfig, ["get", "node", "local", "-o", "json"]);
      const n = JSON.parse(out) as {
        spec: { podCIDR?: string };
        status: { conditions: Array<{ type: string; status: string }> };
      };
      const ready = n.status.conditions.find((c) => c.type === "Ready")?.status === "True";
      return ready && n.spec.podCIDR ? n : undefined;
    });
    expect(node.spec.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
  });

  it("runs a kubectl-applied Deployment: scheduled, Running, behind the Service's endpoints", async () => {
    await kubectl(cluster.kubeconfig, ["apply", "-f", "-"], MANIFEST);
    await kubectl(cluster.kubeconfig, ["rollout", "status", "deployment/web", "--timeout=60s"]);
    const pods = JSON.parse(
      await kubectl(cluster.kubeconfig, ["get", "pods", "-l", "app=web", "-o", "json"]),
    ) as PodList;
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec.nodeName).toBe("local");
      expect(pod.status.phase).toBe("Running");
      expect(pod.status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    const ips = pods.items.map((p) => p.status.podIP).sort();
    const endpoints = await eventually("two ready endpoints", async () => {
      const ep = await createDynamicClient(cluster.rest)
        .resource(Resources.endpoints)
        .namespace("default")
        .get("web");
      const addresses = (ep as { subsets?: Array<{ addresses?: Array<{ ip: string }> }> })
        .subsets?.[0]?.addresses;
      return addresses?.length === 2 ? addresses.map((a) => a.ip).sort() : undefined;
    });
    expect(endpoints).toEqual(ips);
  });

  it("deletes the Deployment's pods with it (garbage collector)", async () => {
    await kubectl(cluster.kubeconfig, ["delete", "deployment", "web", "--wait"]);
    await eventually("no web pods left", async () => {
      const out = await kubectl(cluster.kubeconfig, ["get", "pods", "-l", "app=web", "-o", "name"]);
      return out.trim() === "" ? true : undefined;
    });
  });
});
