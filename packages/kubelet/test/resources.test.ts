import { describe, expect, it } from "vitest";
import {
  type Container,
  linuxContainerResources,
  milliCpuToQuota,
  milliCpuToShares,
  oomScoreAdj,
  type Pod,
  podQosClass,
} from "../src/index.js";

const GiB = 1n << 30n;

function podOf(...resources: Container["resources"][]): Pod {
  return {
    metadata: { name: "p", uid: "u" },
    spec: {
      containers: resources.map((r, i) => ({
        name: `c${i}`,
        image: "i",
        ...(r ? { resources: r } : {}),
      })),
    },
  };
}

describe("CPU shares and quota", () => {
  it.each([
    [0n, 2n],
    [1n, 2n],
    [100n, 102n],
    [250n, 256n],
    [1000n, 1024n],
    [2500n, 2560n],
  ])("%s millicores → %s shares", (milli, shares) => {
    expect(milliCpuToShares(milli)).toBe(shares);
  });

  it.each([
    [0n, 100_000n, 0n],
    [500n, 100_000n, 50_000n],
    [1000n, 100_000n, 100_000n],
    [5n, 100_000n, 1_000n], // never below 1 ms
    [1500n, 50_000n, 75_000n],
  ])("limit %s millicores over period %s → quota %s", (milli, period, quota) => {
    expect(milliCpuToQuota(milli, period)).toBe(quota);
  });
});

describe("QoS class", () => {
  it.each([
    [podOf(undefined), "BestEffort"],
    [podOf({ limits: { cpu: "1", memory: "1Gi" } }), "Guaranteed"],
    [
      podOf({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1000m", memory: "1Gi" } }),
      "Guaranteed",
    ],
    [podOf({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "500m" } }), "Burstable"],
    [podOf({ limits: { cpu: "1" } }), "Burstable"],
    [podOf({ requests: { memory: "10Mi" } }), "Burstable"],
    [podOf({ limits: { cpu: "1", memory: "1Gi" } }, undefined), "Burstable"],
    [podOf({ requests: { "example.com/gpu": "1" } }), "BestEffort"],
  ] as const)("%j is %s", (pod, qos) => {
    expect(podQosClass(pod)).toBe(qos);
  });
});

describe("OOM score adjustment", () => {
  it.each([
    ["Guaranteed", 0n, -997n],
    ["BestEffort", 0n, 1000n],
    ["Burstable", GiB, 875n], // 1000 - 1000 * 1/8
    ["Burstable", 0n, 999n], // never equal to BestEffort
    ["Burstable", 8n * GiB, 3n], // never at or below Guaranteed
    ["Burstable", 4n * GiB, 500n],
  ] as const)("%s requesting %s bytes of 8 GiB → %s", (qos, request, adj) => {
    expect(oomScoreAdj(qos, request, 8n * GiB)).toBe(adj);
  });
});

describe("Linux container resources", () => {
  it("turns requests into shares, limits into quota and memory bytes", () => {
    const container: Container = {
      name: "c",
      image: "i",
      resources: {
        requests: { cpu: "250m", memory: "64Mi" },
        limits: { cpu: "500m", memory: "128Mi" },
      },
    };
    const resources = linuxContainerResources(container, {
      qos: "Burstable",
      memoryCapacityBytes: 8n * GiB,
    });
    expect(resources.cpuShares).toBe(256n);
    expect(resources.cpuQuota).toBe(50_000n);
    expect(resources.cpuPeriod).toBe(100_000n);
    expect(resources.memoryLimitInBytes).toBe(134_217_728n);
    expect(resources.oomScoreAdj).toBe(1000n - (1000n * 67_108_864n) / (8n * GiB));
  });

  it("uses the limit as the request when only a limit is set", () => {
    const container: Container = {
      name: "c",
      image: "i",
      resources: { limits: { cpu: "2", memory: "1Gi" } },
    };
    const resources = linuxContainerResources(container, {
      qos: "Guaranteed",
      memoryCapacityBytes: 8n * GiB,
    });
    expect(resources.cpuShares).toBe(2048n);
    expect(resources.cpuQuota).toBe(200_000n);
    expect(resources.oomScoreAdj).toBe(-997n);
  });

  it("leaves quota, period and memory unset without limits", () => {
    const resources = linuxContainerResources(
      { name: "c", image: "i" },
      { qos: "BestEffort", memoryCapacityBytes: GiB },
    );
    expect(resources.cpuShares).toBe(2n);
    expect(resources.cpuQuota).toBe(0n);
    expect(resources.cpuPeriod).toBe(0n);
    expect(resources.memoryLimitInBytes).toBe(0n);
  });
});
