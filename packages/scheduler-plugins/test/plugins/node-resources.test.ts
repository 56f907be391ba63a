import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/types.js";
import { podRequests } from "../../src/framework/resource.js";
import * as balanced from "../../src/plugins/node-resources-balanced-allocation/index.js";
import { ArgsError } from "../../src/plugins/node-resources-fit/args.js";
import * as fit from "../../src/plugins/node-resources-fit/index.js";
import { brokenLinear } from "../../src/plugins/node-resources-fit/scorers.js";
import {
  container,
  filterAll,
  node,
  onNode,
  pod,
  requesting,
  Snapshot,
  scoreAll as scoreOf,
} from "../fixtures.js";

describe("pod requests", () => {
  it.each<[string, Pod, { milliCPU: number; memory: number }]>([
    [
      "sum of containers",
      pod("p", {
        containers: [
          container({ cpu: "100m", memory: "1Gi" }),
          container({ cpu: "1", memory: "512Mi" }),
        ],
      }),
      { milliCPU: 1100, memory: 1536 * 2 ** 20 },
    ],
    [
      "max of init and containers",
      pod("p", {
        containers: [container({ cpu: "500m" })],
        initContainers: [container({ cpu: "2", memory: "1Mi" })],
      }),
      { milliCPU: 2000, memory: 2 ** 20 },
    ],
    [
      "overhead added",
      pod("p", {
        containers: [container({ cpu: "1" })],
        overhead: { cpu: "250m", memory: "120Mi" },
      }),
      { milliCPU: 1250, memory: 120 * 2 ** 20 },
    ],
    [
      "sidecars run alongside later init containers and the app",
      pod("p", {
        containers: [container({ cpu: "1" })],
        initContainers: [
          container({ cpu: "500m" }, { restartPolicy: "Always" }),
          container({ cpu: "2" }),
        ],
      }),
      { milliCPU: 2500, memory: 0 },
    ],
  ])("%s", (_, p, want) => {
    const r = podRequests(p);
    expect({ milliCPU: r.milliCPU, memory: r.memory }).toEqual(want);
  });

  it("counts defaults for missing cpu/memory requests when asked to", () => {
    const r = podRequests(pod("p", { containers: [container(), container({ cpu: "1" })] }), true);
    expect(r.milliCPU).toBe(1100);
    expect(r.memory).toBe(400 * 2 ** 20);
  });
});

describe("NodeResourcesFit Filter", () => {
  const snapshot = Snapshot.from(
    [
      node("small", { cpu: "1", memory: "1Gi", pods: "2" }),
      node("big", { cpu: "8", memory: "16Gi", extra: { "example.com/gpu": "2" } }),
    ],
    [
      onNode(requesting("a", { cpu: "500m", memory: "512Mi" }), "small"),
      onNode(requesting("b", { cpu: "100m" }), "small"),
    ],
  );
  it.each<[string, Pod, Record<string, string>]>([
    ["fits both", requesting("p", {}), { small: "Unschedulable: Too many pods", big: "ok" }],
    [
      "too much cpu and memory lists every reason",
      requesting("p", { cpu: "2", memory: "2Gi" }),
      { small: "Unschedulable: Too many pods, Insufficient cpu, Insufficient memory", big: "ok" },
    ],
    [
      "extended resource",
      requesting("p", { "example.com/gpu": "3" }),
      {
        small: "Unschedulable: Too many pods, Insufficient example.com/gpu",
        big: "Unschedulable: Insufficient example.com/gpu",
      },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(fit.create(undefined), p, snapshot)).toEqual(want);
  });

  it("skips ignored extended resources and resource groups", () => {
    const p = requesting("p", { "example.com/gpu": "3" });
    const big = Snapshot.from([node("big", { extra: { "example.com/gpu": "2" } })]);
    expect(filterAll(fit.create({ ignoredResources: ["example.com/gpu"] }), p, big)).toEqual({
      big: "ok",
    });
    expect(filterAll(fit.create({ ignoredResourceGroups: ["example.com"] }), p, big)).toEqual({
      big: "ok",
    });
  });

  it("counts the remaining capacity after existing pods", () => {
    const s = Snapshot.from(
      [node("n", { cpu: "1" })],
      [onNode(requesting("a", { cpu: "600m" }), "n")],
    );
    expect(filterAll(fit.create(undefined), requesting("p", { cpu: "400m" }), s)).toEqual({
      n: "ok",
    });
    expect(filterAll(fit.create(undefined), requesting("p", { cpu: "401m" }), s)).toEqual({
      n: "Unschedulable: Insufficient cpu",
    });
  });
});

// Scores below are the ones upstream's own tests expect for the same inputs.
describe("NodeResourcesFit Score", () => {
  const differentlySized = Snapshot.from([
    node("node1", { cpu: "4000m", memory: "10000" }),
    node("node2", { cpu: "6000m", memory: "10000" }),
  ]);
  const cpuAndMemory = pod("p", {
    containers: [
      container({ cpu: "1000m", memory: "2000" }),
      container({ cpu: "2000m", memory: "3000" }),
    ],
  });

  it("LeastAllocated prefers the emptier node", () => {
    expect(fit.create(undefined)).toBeDefined();
    const scores = scoreOf(fit.create(undefined), cpuAndMemory, differentlySized);
    expect(scores).toEqual({ node1: 37, node2: 50 });
  });

  it("MostAllocated prefers the fuller node", () => {
    const scores = scoreOf(
      fit.create({ scoringStrategy: { type: "MostAllocated" } }),
      cpuAndMemory,
      differentlySized,
    );
    expect(scores).toEqual({ node1: 62, node2: 50 });
  });

  it("resource weights change the mean", () => {
    const plugin = fit.create({
      scoringStrategy: {
        type: "LeastAllocated",
        resources: [
          { name: "cpu", weight: 3 },
          { name: "memory", weight: 1 },
        ],
      },
    });
    // node1: cpu 25, memory 50 → (75+50)/4 = 31; node2: 50.
    expect(scoreOf(plugin, cpuAndMemory, differentlySized)).toEqual({ node1: 31, node2: 50 });
  });

  it("RequestedToCapacityRatio follows the shape", () => {
    const plugin = fit.create({
      scoringStrategy: {
        type: "RequestedToCapacityRatio",
        requestedToCapacityRatio: {
          shape: [
            { utilization: 0, score: 10 },
            { utilization: 100, score: 0 },
          ],
        },
      },
    });
    // node1: cpu at 75% → 25, memory at 50% → 50, rounded mean 37.5 → 38.
    expect(scoreOf(plugin, cpuAndMemory, differentlySized)).toEqual({ node1: 38, node2: 50 });
  });

  it("pods without requests count as the non-zero defaults", () => {
    const s = Snapshot.from([node("n", { cpu: "1000m", memory: `${400 * 2 ** 20}` })]);
    // 100m of 1000m → 90; 200Mi of 400Mi → 50.
    expect(scoreOf(fit.create(undefined), pod("p"), s)).toEqual({ n: 70 });
  });

  it("brokenLinear interpolates with integer steps", () => {
    const f = brokenLinear([
      { utilization: 10, score: 2 },
      { utilization: 50, score: 8 },
    ]);
    expect([0, 10, 30, 50, 90].map(f)).toEqual([20, 20, 50, 80, 80]);
  });

  it.each([
    [{ scoringStrategy: { type: "Bogus" } }, "scoringStrategy.type"],
    [
      { scoringStrategy: { resources: [{ name: "cpu", weight: 0 }] } },
      "scoringStrategy.resources[0].weight",
    ],
    [
      { scoringStrategy: { type: "RequestedToCapacityRatio" } },
      "scoringStrategy.requestedToCapacityRatio.shape",
    ],
    [
      {
        scoringStrategy: {
          type: "RequestedToCapacityRatio",
          requestedToCapacityRatio: {
            shape: [
              { utilization: 50, score: 1 },
              { utilization: 40, score: 1 },
            ],
          },
        },
      },
      "scoringStrategy.requestedToCapacityRatio.shape[1].utilization",
    ],
  ])("rejects bad args %#", (args, field) => {
    expect(() => fit.create(args)).toThrow(ArgsError);
    expect(() => fit.create(args)).toThrow(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}:`));
  });
});

describe("NodeResourcesBalancedAllocation", () => {
  it("scores (1 - std) × 100 over cpu and memory fractions", () => {
    const s = Snapshot.from([
      node("node1", { cpu: "4000m", memory: "10000" }),
      node("node2", { cpu: "6000m", memory: "10000" }),
    ]);
    const p = pod("p", { containers: [container({ cpu: "3000m", memory: "5000" })] });
    expect(scoreOf(balanced.create(undefined), p, s)).toEqual({ node1: 87, node2: 100 });
  });

  it("includes existing pods and caps fractions at 1", () => {
    const s = Snapshot.from(
      [node("n", { cpu: "1000m", memory: "1000" })],
      [onNode(requesting("a", { cpu: "2000m", memory: "500" }), "n")],
    );
    // cpu capped at 1, memory 0.6 → std 0.2 → 80.
    expect(scoreOf(balanced.create(undefined), requesting("p", { memory: "100" }), s)).toEqual({
      n: 80,
    });
  });

  it("skips best-effort pods", () => {
    const s = Snapshot.from([node("n")]);
    expect(scoreOf(balanced.create(undefined), pod("p"), s)).toEqual({ skipped: 1 });
  });

  it("uses the population standard deviation for more than two resources", () => {
    expect(balanced.balanceScore([0, 0.5, 1])).toBe(59);
  });
});
