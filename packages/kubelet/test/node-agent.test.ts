import { type KubeObject, Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HostFacts,
  type Node,
  NodeAgent,
  type NodeLease,
  type RuntimeHealth,
} from "../src/index.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";

const facts: HostFacts = {
  cpus: 2,
  memoryBytes: 4n * 1024n ** 3n,
  ephemeralStorageBytes: 50n * 1024n ** 3n,
  kernelVersion: "6.1.0",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  machineID: "m",
  bootID: "b",
  systemUUID: "u",
  os: "linux",
  architecture: "amd64",
  hostname: "h",
};

// The node half of the kubelet against the real apiserver (on store-raft,
// in process), with the runtime's health scripted: registration onto an
// existing Node, NotReady while the runtime's network is down, Ready once
// it is up, and the lease.
describe("NodeAgent on kubekit's apiserver", { timeout: 120_000 }, () => {
  let plane: InProcessControlPlane;
  const stop = new AbortController();
  let health: RuntimeHealth = {
    version: "containerd://1.6.20",
    runtimeReady: true,
    networkReady: false,
    problems: ["container runtime network not ready: NetworkReady=false reason:NoCNIConfig"],
    images: [],
  };

  beforeAll(async () => {
    plane = await startInProcessControlPlane();
  }, 120_000);

  afterAll(async () => {
    stop.abort();
    await plane?.stop();
  });

  it("adds its labels to an existing Node, reports NotReady then Ready, and keeps a lease", async () => {
    const nodes = plane.client.resource<Node>(Resources.nodes);
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "existing", labels: { "team.example.com/owner": "infra" } },
      spec: { taints: [{ key: "maintenance", effect: "NoSchedule" }] },
    });
    const agent = new NodeAgent({
      nodes,
      leases: plane.client.resource<NodeLease>(Resources.leases).namespace("kube-node-lease"),
      config: {
        nodeName: "existing",
        nodeIP: "192.0.2.7",
        labels: { "example.com/pool": "a" },
        taints: [{ key: "ignored-on-existing", effect: "NoSchedule" }],
        kubeletPort: 10250,
        maxPods: 30,
        kubeletVersion: "v1.32.0",
      },
      facts: async () => facts,
      runtimeHealth: async () => health,
      statusUpdateFrequencyMs: 200,
      leaseRenewIntervalMs: 500,
    });
    const running = agent.run(stop.signal);

    const notReady = await eventually("the node NotReady", async () => {
      const node = await nodes.get("existing");
      const ready = node.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.status === "False" ? node : undefined;
    });
    expect(notReady.metadata.labels).toMatchObject({
      "team.example.com/owner": "infra",
      "example.com/pool": "a",
      "kubernetes.io/hostname": "existing",
    });
    expect(notReady.spec?.taints).toEqual([{ key: "maintenance", effect: "NoSchedule" }]);
    const down = notReady.status?.conditions?.find((c) => c.type === "Ready");
    expect(down?.reason).toBe("KubeletNotReady");
    expect(down?.message).toContain("NetworkReady=false reason:NoCNIConfig");
    expect(notReady.status?.capacity).toMatchObject({ cpu: "2", pods: "30" });

    health = { ...health, networkReady: true, problems: [] };
    const ready = await eventually("the node Ready", async () => {
      const node = await nodes.get("existing");
      const condition = node.status?.conditions?.find((c) => c.type === "Ready");
      return condition?.status === "True" ? condition : undefined;
    });
    expect(ready.reason).toBe("KubeletReady");
    expect(Date.parse(ready.lastTransitionTime)).toBeGreaterThanOrEqual(
      Date.parse(down?.lastTransitionTime ?? ""),
    );

    const leases = plane.client.resource<NodeLease & KubeObject>(Resources.leases);
    const lease = await eventually("the lease", () =>
      leases.namespace("kube-node-lease").get("existing"),
    );
    expect(lease.metadata?.ownerReferences?.[0]?.uid).toBe(notReady.metadata.uid);
    // Unchanged status is not re-sent on every update tick (5 min report period).
    const reports = agent.counters.statusReports;
    const renewals = agent.counters.leaseRenewals;
    await eventually("two more lease renewals", async () =>
      agent.counters.leaseRenewals >= renewals + 2 ? true : undefined,
    );
    expect(agent.counters.statusReports).toBe(reports);
    stop.abort();
    await running;
  });
});
