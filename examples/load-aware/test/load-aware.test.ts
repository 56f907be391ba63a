import {
  CycleState,
  inTreeRegistry,
  KubeScheduler,
  type Node,
  NodeInfo,
  type NodeScore,
  type Pod,
  parseSchedulerConfiguration,
  seededRandom,
} from "@kubekit/scheduler-plugins";
import { describe, expect, it } from "vitest";
import * as loadAware from "../src/index.js";

const node = (name: string, utilization?: string): Node => ({
  metadata: {
    name,
    ...(utilization === undefined
      ? {}
      : { annotations: { [loadAware.DEFAULT_ANNOTATION]: utilization } }),
  },
  status: { allocatable: { cpu: "8", memory: "16Gi", pods: "110" } },
});

const pod = (name: string): Pod => ({
  metadata: { name, namespace: "default", uid: name },
  spec: { containers: [{ name: "c", resources: { requests: { cpu: "100m" } } }] },
});

const handle = {} as Parameters<typeof loadAware.create>[1];

describe("LoadAware", () => {
  it("scores the idle share of a node, and 0 at or above the threshold", () => {
    const plugin = loadAware.create({ threshold: 0.7 }, handle);
    const score = (u?: string) =>
      plugin.score(new CycleState(), pod("p"), new NodeInfo(node("n", u)));
    expect(score("0.1")).toBe(90);
    expect(score("0.42")).toBe(58);
    expect(score("0.7")).toBe(0);
    expect(score("0.95")).toBe(0);
    // Missing or garbled: the configured default (0.5).
    expect(score(undefined)).toBe(50);
    expect(score("lots")).toBe(50);
  });

  it("normalizes so the least-loaded node gets the maximum score", () => {
    const plugin = loadAware.create(undefined, handle);
    const scores: NodeScore[] = [
      { name: "a", score: 60 },
      { name: "b", score: 30 },
      { name: "c", score: 0 },
    ];
    expect(plugin.normalizeScore(new CycleState(), pod("p"), scores).isSuccess()).toBe(true);
    expect(scores.map((s) => s.score)).toEqual([100, 50, 0]);
  });

  it("rejects bad args naming the field", () => {
    expect(() => loadAware.create({ threshold: 2 }, handle)).toThrow(
      /^threshold: Invalid value: 2/,
    );
    expect(() => loadAware.create({ weight: 2 }, handle)).toThrow(/^weight: unknown field/);
  });

  it("sends a pod to the least-loaded node when enabled in a profile", async () => {
    const registry = inTreeRegistry();
    registry.register(loadAware.NAME, loadAware.create);
    const config = parseSchedulerConfiguration(
      [
        "apiVersion: kubescheduler.config.k8s.io/v1",
        "kind: KubeSchedulerConfiguration",
        "profiles:",
        "  - plugins:",
        "      multiPoint:",
        "        enabled: [{ name: LoadAware, weight: 10 }]",
        "    pluginConfig:",
        "      - name: LoadAware",
        "        args: { threshold: 0.9 }",
      ].join("\n"),
      { registry },
    );
    const bound: string[] = [];
    const scheduler = new KubeScheduler({
      config,
      registry,
      random: seededRandom(1),
      binder: { bind: async (_p, n) => void bound.push(n) },
    });
    for (const [name, u] of [
      ["busy", "0.85"],
      ["idle", "0.05"],
      ["medium", "0.5"],
    ] as const) {
      scheduler.onNodeAdd(node(name, u));
    }
    scheduler.onPodAdd(pod("web"));
    const { attempted, binding } = await scheduler.scheduleNext();
    expect(attempted).toBe(true);
    expect(await binding).toBe(true);
    expect(bound).toEqual(["idle"]);
  });
});
