import { describe, expect, it } from "vitest";
import type { Pod, TopologySpreadConstraint } from "../../src/api/types.js";
import * as pts from "../../src/plugins/pod-topology-spread/index.js";
import { filterAll, handleFor, node, onNode, pod, Snapshot, scoreAll } from "../fixtures.js";

const foo = { foo: "" };
const spread = (
  c: Partial<TopologySpreadConstraint>,
  labels: Record<string, string> | undefined = foo,
  extra: Partial<Pod["spec"]> = {},
) =>
  pod(
    "p",
    {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchExpressions: [{ key: "foo", operator: "Exists" }] },
          ...c,
        },
      ],
      ...extra,
    },
    labels,
  );
const existing = (name: string, nodeName: string, labels: Record<string, string> = foo) =>
  onNode(pod(name, {}, labels), nodeName);

const fourNodes = [
  node("node-a", { labels: { zone: "zone1" } }),
  node("node-b", { labels: { zone: "zone1" } }),
  node("node-x", { labels: { zone: "zone2" } }),
  node("node-y", { labels: { zone: "zone2" } }),
];
// zone1 holds 3 matching pods (a: 2, b: 1), zone2 holds 1 (x: 1).
const pods = [
  existing("a1", "node-a"),
  existing("a2", "node-a"),
  existing("b1", "node-b"),
  existing("x1", "node-x"),
  existing("other", "node-y", { bar: "" }),
];
const SKEW = `Unschedulable: ${pts.ERR_REASON_CONSTRAINTS_NOT_MATCH}`;
const MISSING = `UnschedulableAndUnresolvable: ${pts.ERR_REASON_NODE_LABEL_NOT_MATCH}`;

function filter(p: Pod, nodes = fourNodes, existingPods = pods) {
  const snapshot = Snapshot.from(nodes, existingPods);
  return filterAll(pts.create(undefined, handleFor(snapshot)), p, snapshot);
}

describe("PodTopologySpread Filter", () => {
  it.each<[string, Pod, Record<string, string>]>([
    [
      "no constraints: skipped",
      pod("p"),
      { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" },
    ],
    [
      "zones, maxSkew 1",
      spread({}),
      { "node-a": SKEW, "node-b": SKEW, "node-x": "ok", "node-y": "ok" },
    ],
    [
      "zones, maxSkew 3",
      spread({ maxSkew: 3 }),
      { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" },
    ],
    [
      "hostnames, maxSkew 1",
      spread({ topologyKey: "kubernetes.io/hostname" }),
      { "node-a": SKEW, "node-b": SKEW, "node-x": SKEW, "node-y": "ok" },
    ],
    [
      "a pod outside its own selector adds no skew",
      spread({ topologyKey: "kubernetes.io/hostname" }, { bar: "" }),
      { "node-a": SKEW, "node-b": "ok", "node-x": "ok", "node-y": "ok" },
    ],
    [
      "ScheduleAnyway never filters",
      spread({ whenUnsatisfiable: "ScheduleAnyway" }),
      { "node-a": "ok", "node-b": "ok", "node-x": "ok", "node-y": "ok" },
    ],
    [
      "minDomains above the domain count makes the minimum 0",
      spread({ minDomains: 3 }),
      { "node-a": SKEW, "node-b": SKEW, "node-x": SKEW, "node-y": SKEW },
    ],
  ])("%s", (_, p, want) => {
    expect(filter(p)).toEqual(want);
  });

  it("rejects nodes missing the topology key as unresolvable", () => {
    const nodes = [...fourNodes, node("node-z")];
    expect(filter(spread({}), nodes)["node-z"]).toBe(MISSING);
  });

  it("does not count terminating pods", () => {
    const terminating = {
      ...existing("a3", "node-x"),
      metadata: { ...existing("a3", "node-x").metadata, deletionTimestamp: "2026-01-01T00:00:00Z" },
    };
    const twoNodes = [fourNodes[0]!, fourNodes[2]!];
    expect(filter(spread({}), twoNodes, [existing("a1", "node-a"), terminating])).toEqual({
      "node-a": SKEW,
      "node-x": "ok",
    });
  });

  it("honours node affinity when counting domains (nodeAffinityPolicy), unless told to ignore it", () => {
    const nodes = [
      node("node-a", { labels: { zone: "zone1" } }),
      node("node-x", { labels: { zone: "zone2", disk: "ssd" } }),
    ];
    const existingPods = [existing("x1", "node-x")];
    const honor = spread({}, foo, { nodeSelector: { disk: "ssd" } });
    const ignore = spread({ nodeAffinityPolicy: "Ignore" }, foo, { nodeSelector: { disk: "ssd" } });
    expect(filter(honor, nodes, existingPods)["node-x"]).toBe("ok");
    expect(filter(ignore, nodes, existingPods)["node-x"]).toBe(SKEW);
  });

  it("honours taints when counting domains only with nodeTaintsPolicy Honor", () => {
    const nodes = [
      node("node-a", { labels: { zone: "zone1" }, taints: [{ key: "t", effect: "NoSchedule" }] }),
      node("node-x", { labels: { zone: "zone2" } }),
    ];
    const existingPods = [existing("x1", "node-x")];
    expect(filter(spread({}), nodes, existingPods)["node-x"]).toBe(SKEW);
    expect(filter(spread({ nodeTaintsPolicy: "Honor" }), nodes, existingPods)["node-x"]).toBe("ok");
  });

  it("matchLabelKeys narrows the selector to the pod's own values", () => {
    const p = spread(
      { topologyKey: "kubernetes.io/hostname", matchLabelKeys: ["rev"] },
      { foo: "", rev: "2" },
    );
    const existingPods = [
      existing("old1", "node-a", { foo: "", rev: "1" }),
      existing("old2", "node-a", { foo: "", rev: "1" }),
    ];
    expect(filter(p, fourNodes.slice(0, 2), existingPods)).toEqual({
      "node-a": "ok",
      "node-b": "ok",
    });
  });
});

describe("PodTopologySpread Score", () => {
  const soft = (topologyKey: string) =>
    spread({ topologyKey, whenUnsatisfiable: "ScheduleAnyway" });
  function score(p: Pod, nodes = fourNodes, handleExtra = {}) {
    const snapshot = Snapshot.from(nodes, pods);
    return scoreAll(pts.create(undefined, { ...handleFor(snapshot), ...handleExtra }), p, snapshot);
  }

  it("prefers nodes with fewer matching pods (hostname)", () => {
    // raw: a round(2·ln 6) = 4, b round(ln 6) = 2, x round(ln 6) = 2, y 0 → 100·(4+0−s)/4
    expect(score(soft("kubernetes.io/hostname"))).toEqual({
      "node-a": 0,
      "node-b": 50,
      "node-x": 50,
      "node-y": 100,
    });
  });

  it("prefers zones with fewer matching pods", () => {
    // raw: zone1 round(3·ln 4) = 4, zone2 round(1·ln 4) = 1 → a, b: 100·(4+1−4)/4 = 25; x, y: 100
    expect(score(soft("zone"))).toEqual({
      "node-a": 25,
      "node-b": 25,
      "node-x": 100,
      "node-y": 100,
    });
  });

  it("gives nodes without the topology key 0", () => {
    expect(score(soft("zone"), [...fourNodes, node("node-z")])["node-z"]).toBe(0);
  });

  it("applies the system defaults only to pods of a known workload", () => {
    const plain = pod("p", {}, foo);
    expect(score(plain)).toEqual({ skipped: 1 });
    const withDefaults = score(plain, fourNodes, {
      workloadSelector: () => ({ matchLabels: foo }),
    });
    // hostname (maxSkew 3): raw ln 6 · count + 2; zone label missing everywhere → only hostname counts.
    expect(withDefaults["node-y"]).toBe(100);
    expect(withDefaults["node-a"]).toBeLessThan(withDefaults["node-b"]!);
  });
});

describe("PodTopologySpread default constraints", () => {
  const workload = { workloadSelector: () => ({ matchLabels: foo }) };
  const listArgs = {
    defaultingType: "List",
    defaultConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" }],
  };
  it("filters with List defaults for pods of a workload, when the pod has no constraints of its own", () => {
    const snapshot = Snapshot.from(fourNodes, pods);
    const plugin = pts.create(listArgs, { ...handleFor(snapshot), ...workload });
    expect(filterAll(plugin, pod("p", {}, foo), snapshot)).toEqual({
      "node-a": SKEW,
      "node-b": SKEW,
      "node-x": "ok",
      "node-y": "ok",
    });
    // Without a workload selector there are no defaults.
    expect(
      filterAll(pts.create(listArgs, handleFor(snapshot)), pod("p", {}, foo), snapshot)["node-a"],
    ).toBe("ok");
  });

  it.each([
    [
      {
        defaultingType: "System",
        defaultConstraints: [
          { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
        ],
      },
      "defaultConstraints: Invalid value",
    ],
    [
      {
        defaultingType: "List",
        defaultConstraints: [
          { maxSkew: 0, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
        ],
      },
      "defaultConstraints[0].maxSkew",
    ],
    [
      {
        defaultingType: "List",
        defaultConstraints: [
          {
            maxSkew: 1,
            topologyKey: "zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: {},
          },
        ],
      },
      "defaultConstraints[0].labelSelector",
    ],
    [
      {
        defaultingType: "List",
        defaultConstraints: [
          { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
          { maxSkew: 2, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
        ],
      },
      "defaultConstraints[1]: Duplicate value",
    ],
  ])("rejects bad args %#", (args, message) => {
    expect(() => pts.validateArgs(args)).toThrow(message);
  });
});
