import { describe, expect, it } from "vitest";
import {
  buildNodeStatus,
  chooseNodeIP,
  goArch,
  type HostFacts,
  initialNode,
  type NodeConfig,
  nodeStatusChanged,
  parseLabels,
  parseMemTotal,
  parsePrettyName,
  parseTaints,
  type RuntimeHealth,
  shouldReportNodeStatus,
} from "../src/index.js";

const facts: HostFacts = {
  cpus: 4,
  memoryBytes: 8n * 1024n * 1024n * 1024n,
  ephemeralStorageBytes: 100n * 1024n * 1024n * 1024n,
  kernelVersion: "6.1.0-13-amd64",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  machineID: "m-1",
  bootID: "b-1",
  systemUUID: "u-1",
  os: "linux",
  architecture: "amd64",
  hostname: "host-a",
};

const config: NodeConfig = {
  nodeName: "node-a",
  nodeIP: "192.0.2.10",
  labels: { "node-role.kubernetes.io/worker": "", zone: "z1" },
  taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }],
  kubeletPort: 10250,
  maxPods: 110,
  kubeletVersion: "v1.32.0",
};

const healthy: RuntimeHealth = {
  version: "containerd://1.6.20",
  runtimeReady: true,
  networkReady: true,
  problems: [],
  images: [
    { names: ["docker.io/library/busybox:1.36"], sizeBytes: 2_000_000 },
    { names: ["registry.k8s.io/pause:3.9"], sizeBytes: 300_000 },
  ],
};

const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("node registration object", () => {
  it("carries the default labels, --node-labels and --register-with-taints", () => {
    const node = initialNode(config, facts);
    expect(node.metadata.name).toBe("node-a");
    expect(node.metadata.labels).toEqual({
      "kubernetes.io/hostname": "node-a",
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "beta.kubernetes.io/arch": "amd64",
      "node-role.kubernetes.io/worker": "",
      zone: "z1",
    });
    expect(node.spec?.taints).toEqual([{ key: "dedicated", value: "infra", effect: "NoSchedule" }]);
  });
});

describe("buildNodeStatus", () => {
  it("reports capacity from the host and allocatable less upstream's eviction thresholds", () => {
    const status = buildNodeStatus(config, facts, healthy, T0);
    expect(status.capacity).toEqual({
      cpu: "4",
      memory: "8388608Ki",
      "ephemeral-storage": "104857600Ki",
      pods: "110",
    });
    expect(status.allocatable).toEqual({
      cpu: "4",
      memory: `${8388608 - 102400}Ki`,
      "ephemeral-storage": String((100n * 1024n * 1024n * 1024n * 9n) / 10n),
      pods: "110",
    });
  });

  it("is Ready with KubeletReady and no pressure when the runtime and network are ready", () => {
    const status = buildNodeStatus(config, facts, healthy, T0);
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["MemoryPressure", "False", "KubeletHasSufficientMemory"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID"],
      ["Ready", "True", "KubeletReady"],
    ]);
    expect(status.conditions.at(-1)?.message).toBe("kubelet is posting ready status");
    expect(status.conditions.every((c) => c.lastHeartbeatTime === "2026-01-01T00:00:00Z")).toBe(
      true,
    );
  });

  it("is NotReady with the runtime's own reason when its network is not ready", () => {
    const status = buildNodeStatus(
      config,
      facts,
      {
        ...healthy,
        networkReady: false,
        problems: ["container runtime network not ready: NetworkReady=false reason:NoCNI"],
      },
      T0,
    );
    const ready = status.conditions.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "KubeletNotReady" });
    expect(ready?.message).toContain("NetworkReady=false");
  });

  it("reports addresses, the kubelet endpoint, nodeInfo and the images", () => {
    const status = buildNodeStatus(config, facts, healthy, T0);
    expect(status.addresses).toEqual([
      { type: "InternalIP", address: "192.0.2.10" },
      { type: "Hostname", address: "node-a" },
    ]);
    expect(status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(status.nodeInfo).toMatchObject({
      containerRuntimeVersion: "containerd://1.6.20",
      kubeletVersion: "v1.32.0",
      kernelVersion: "6.1.0-13-amd64",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      operatingSystem: "linux",
      architecture: "amd64",
      machineID: "m-1",
      bootID: "b-1",
      systemUUID: "u-1",
    });
    expect(status.images[0]?.names).toEqual(["docker.io/library/busybox:1.36"]);
  });

  it("keeps a condition's lastTransitionTime while its status holds, and moves it on a change", () => {
    const first = buildNodeStatus(config, facts, healthy, T0);
    const later = buildNodeStatus(config, facts, healthy, T0 + 60_000, first);
    const ready = later.conditions.find((c) => c.type === "Ready");
    expect(ready?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    expect(ready?.lastHeartbeatTime).toBe("2026-01-01T00:01:00Z");
    const down = buildNodeStatus(
      config,
      facts,
      { ...healthy, runtimeReady: false },
      T0 + 120_000,
      later,
    );
    expect(down.conditions.find((c) => c.type === "Ready")?.lastTransitionTime).toBe(
      "2026-01-01T00:02:00Z",
    );
    expect(down.conditions.find((c) => c.type === "MemoryPressure")?.lastTransitionTime).toBe(
      "2026-01-01T00:00:00Z",
    );
  });
});

describe("when node status is sent", () => {
  it("ignores heartbeat times and key order, but sees any other change", () => {
    const first = buildNodeStatus(config, facts, healthy, T0);
    const later = buildNodeStatus(config, facts, healthy, T0 + 60_000, first);
    expect(nodeStatusChanged(first, later)).toBe(false);
    const reordered = Object.fromEntries(Object.entries(later).reverse()) as typeof later;
    expect(nodeStatusChanged(first, reordered)).toBe(false);
    const moreImages = buildNodeStatus(
      config,
      facts,
      { ...healthy, images: [...healthy.images, { names: ["x:1"], sizeBytes: 1 }] },
      T0 + 60_000,
      first,
    );
    expect(nodeStatusChanged(first, moreImages)).toBe(true);
    const notReady = buildNodeStatus(
      config,
      facts,
      { ...healthy, runtimeReady: false },
      T0 + 60_000,
      first,
    );
    expect(nodeStatusChanged(first, notReady)).toBe(true);
    expect(nodeStatusChanged(undefined, first)).toBe(true);
  });

  it("reports on change, first of all, or when the report period has passed", () => {
    expect(shouldReportNodeStatus(false, undefined, T0, 300_000)).toBe(true);
    expect(shouldReportNodeStatus(true, T0, T0 + 1, 300_000)).toBe(true);
    expect(shouldReportNodeStatus(false, T0, T0 + 299_999, 300_000)).toBe(false);
    expect(shouldReportNodeStatus(false, T0, T0 + 300_000, 300_000)).toBe(true);
  });
});

describe("flags and host facts", () => {
  it("parses --register-with-taints and --node-labels", () => {
    expect(parseTaints("a=b:NoSchedule,c:NoExecute")).toEqual([
      { key: "a", value: "b", effect: "NoSchedule" },
      { key: "c", effect: "NoExecute" },
    ]);
    expect(parseTaints("")).toEqual([]);
    expect(() => parseTaints("a=b")).toThrow(/invalid taint/);
    expect(() => parseTaints("a=b:Sometimes")).toThrow(/invalid taint/);
    expect(parseLabels("a=1, b=two,c=")).toEqual({ a: "1", b: "two", c: "" });
    expect(() => parseLabels("=x")).toThrow(/invalid label/);
  });

  it("picks --node-ip, else the first non-loopback IPv4, else 127.0.0.1", () => {
    const lo = { address: "127.0.0.1", family: "IPv4", internal: true } as const;
    const v6 = { address: "fe80::1", family: "IPv6", internal: false } as const;
    const eth = { address: "10.0.0.5", family: "IPv4", internal: false } as const;
    const info = (a: object) => ({ netmask: "", mac: "", cidr: null, ...a }) as never;
    expect(chooseNodeIP("192.0.2.1", { eth0: [info(eth)] })).toBe("192.0.2.1");
    expect(chooseNodeIP(undefined, { lo: [info(lo)], eth0: [info(v6), info(eth)] })).toBe(
      "10.0.0.5",
    );
    expect(chooseNodeIP(undefined, { lo: [info(lo)] })).toBe("127.0.0.1");
  });

  it("reads MemTotal, PRETTY_NAME and Go's arch names", () => {
    expect(parseMemTotal("MemFree: 1 kB\nMemTotal:       16314388 kB\n")).toBe(16314388n * 1024n);
    expect(parseMemTotal("nothing")).toBeUndefined();
    expect(parsePrettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe(
      "Debian GNU/Linux 12 (bookworm)",
    );
    expect(goArch("x64")).toBe("amd64");
    expect(goArch("arm64")).toBe("arm64");
  });
});
