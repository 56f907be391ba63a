import { describe, expect, it } from "vitest";
import type { NodeSelectorTerm, Pod } from "../../src/api/types.js";
import { CycleState } from "../../src/framework/cycle-state.js";
import * as imageLocality from "../../src/plugins/image-locality/index.js";
import * as nodeAffinity from "../../src/plugins/node-affinity/index.js";
import * as taintToleration from "../../src/plugins/taint-toleration/index.js";
import { container, filterAll, handleFor, node, pod, Snapshot, scoreAll } from "../fixtures.js";

describe("TaintToleration Filter", () => {
  const snapshot = Snapshot.from([
    node("cp", {
      taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
    }),
    node("gpu", { taints: [{ key: "gpu", value: "true", effect: "NoExecute" }] }),
    node("soft", { taints: [{ key: "dedicated", value: "x", effect: "PreferNoSchedule" }] }),
  ]);
  it.each<[string, Pod, Record<string, string>]>([
    [
      "untolerated NoSchedule and NoExecute taints reject",
      pod("p"),
      {
        cp: "UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
        gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: true}",
        soft: "ok",
      },
    ],
    [
      "Equal toleration with matching value",
      pod("p", {
        tolerations: [{ key: "gpu", operator: "Equal", value: "true", effect: "NoExecute" }],
      }),
      {
        cp: "UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
        gpu: "ok",
        soft: "ok",
      },
    ],
    [
      "Equal toleration with another value does not tolerate",
      pod("p", { tolerations: [{ key: "gpu", value: "false" }] }),
      {
        cp: "UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
        gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: true}",
        soft: "ok",
      },
    ],
    [
      "Exists toleration without effect tolerates the key with any effect",
      pod("p", {
        tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }],
      }),
      {
        cp: "ok",
        gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: true}",
        soft: "ok",
      },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(taintToleration.create(), p, snapshot)).toEqual(want);
  });
});

describe("TaintToleration Score", () => {
  const prefer = (key: string, value: string) => ({
    key,
    value,
    effect: "PreferNoSchedule" as const,
  });
  it("the more untolerated PreferNoSchedule taints, the lower the score", () => {
    const s = Snapshot.from([
      node("none"),
      node("one", { taints: [prefer("foo", "bar")] }),
      node("two", { taints: [prefer("foo", "bar"), prefer("foo", "blah")] }),
    ]);
    expect(scoreAll(taintToleration.create(), pod("p"), s)).toEqual({ none: 100, one: 50, two: 0 });
  });
  it("tolerated taints and other effects do not count", () => {
    const s = Snapshot.from([
      node("tolerated", { taints: [prefer("foo", "bar")] }),
      node("untolerated", { taints: [prefer("foo", "blah")] }),
      node("noschedule", { taints: [{ key: "x", effect: "NoSchedule" }] }),
    ]);
    const p = pod("p", {
      tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }],
    });
    expect(scoreAll(taintToleration.create(), p, s)).toEqual({
      tolerated: 100,
      untolerated: 0,
      noschedule: 100,
    });
  });
});

describe("NodeAffinity Filter", () => {
  const snapshot = Snapshot.from([
    node("a", { labels: { zone: "z1", gen: "3" } }),
    node("b", { labels: { zone: "z2", gen: "5" } }),
    node("c", { labels: { gen: "7" } }),
  ]);
  const no = `UnschedulableAndUnresolvable: ${nodeAffinity.ERR_REASON_POD}`;
  const required = (...terms: NodeSelectorTerm[]) =>
    pod("p", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
        },
      },
    });
  it.each<[string, Pod, Record<string, string>]>([
    ["nodeSelector", pod("p", { nodeSelector: { zone: "z1" } }), { a: "ok", b: no, c: no }],
    [
      "In",
      required({ matchExpressions: [{ key: "zone", operator: "In", values: ["z1", "z2"] }] }),
      { a: "ok", b: "ok", c: no },
    ],
    [
      "NotIn matches nodes without the label",
      required({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["z1"] }] }),
      { a: no, b: "ok", c: "ok" },
    ],
    [
      "DoesNotExist",
      required({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }),
      { a: no, b: no, c: "ok" },
    ],
    [
      "Gt compares integers",
      required({ matchExpressions: [{ key: "gen", operator: "Gt", values: ["4"] }] }),
      { a: no, b: "ok", c: "ok" },
    ],
    [
      "Lt compares integers",
      required({ matchExpressions: [{ key: "gen", operator: "Lt", values: ["4"] }] }),
      { a: "ok", b: no, c: no },
    ],
    [
      "terms are ORed",
      required(
        { matchExpressions: [{ key: "zone", operator: "In", values: ["z1"] }] },
        { matchExpressions: [{ key: "gen", operator: "In", values: ["7"] }] },
      ),
      { a: "ok", b: no, c: "ok" },
    ],
    ["an empty term matches nothing", required({}), { a: no, b: no, c: no }],
    [
      "matchFields on metadata.name narrows the nodes",
      required({ matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }),
      { a: no, b: "ok", c: no },
    ],
    [
      "nodeSelector and affinity are ANDed",
      {
        ...required({ matchExpressions: [{ key: "gen", operator: "Exists" }] }),
        spec: {
          ...required({ matchExpressions: [{ key: "gen", operator: "Exists" }] }).spec,
          nodeSelector: { zone: "z2" },
        },
      },
      { a: no, b: "ok", c: no },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(nodeAffinity.create(), p, snapshot)).toEqual(want);
  });

  it("PreFilter returns the pinned node names", () => {
    const p = required({
      matchFields: [{ key: "metadata.name", operator: "In", values: ["b", "c"] }],
    });
    const out = nodeAffinity.create().preFilter(new CycleState(), p);
    expect([...(out.result?.nodeNames ?? [])]).toEqual(["b", "c"]);
  });
});

describe("NodeAffinity Score", () => {
  it("sums matching preferred weights and normalizes to the best node", () => {
    const s = Snapshot.from([
      node("a", { labels: { foo: "bar" } }),
      node("b", { labels: { key: "value" } }),
      node("c", { labels: { foo: "bar", key: "value" } }),
      node("d"),
    ]);
    const p = pod("p", {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 2,
              preference: { matchExpressions: [{ key: "foo", operator: "In", values: ["bar"] }] },
            },
            {
              weight: 4,
              preference: { matchExpressions: [{ key: "key", operator: "In", values: ["value"] }] },
            },
          ],
        },
      },
    });
    // raw 2, 4, 6, 0 → ×100/6
    expect(scoreAll(nodeAffinity.create(), p, s)).toEqual({ a: 33, b: 66, c: 100, d: 0 });
  });
});

describe("ImageLocality", () => {
  const mb = 1024 * 1024;
  it("prefers nodes with larger and rarer images of the pod", () => {
    const s = Snapshot.from([
      node("node1", {
        images: [
          { names: ["gcr.io/40:latest"], sizeBytes: 40 * mb },
          { names: ["gcr.io/250:latest"], sizeBytes: 250 * mb },
        ],
      }),
      node("node2", {
        images: [
          { names: ["gcr.io/250:latest"], sizeBytes: 250 * mb },
          { names: ["gcr.io/10:latest"], sizeBytes: 10 * mb },
        ],
      }),
      node("node3"),
    ]);
    const p = pod("p", {
      containers: [
        container(undefined, { image: "gcr.io/40" }),
        container(undefined, { image: "gcr.io/250:latest" }),
      ],
    });
    // node1: 40·1/3 + 250·2/3 = 180 MB → 100·(180−23)/(2000−23) = 7; node2: 166.7 MB → 7; node3: 0.
    const got = scoreAll(imageLocality.create(undefined, handleFor(s)), p, s);
    expect(got).toEqual({ node1: 7, node2: 7, node3: 0 });
  });
  it("a large image alone on one node scores high", () => {
    const s = Snapshot.from([node("n1", { images: [{ names: ["big:1"], sizeBytes: 900 * mb }] })]);
    const p = pod("p", { containers: [container(undefined, { image: "big:1" })] });
    expect(scoreAll(imageLocality.create(undefined, handleFor(s)), p, s)).toEqual({ n1: 89 });
  });
  it.each([
    ["nginx", "nginx:latest"],
    ["nginx:1.2", "nginx:1.2"],
    ["registry:5000/app", "registry:5000/app:latest"],
    ["app@sha256:abc", "app@sha256:abc"],
  ])("normalizes %s to %s", (input, want) => {
    expect(imageLocality.normalizedImageName(input)).toBe(want);
  });
});

describe("NodeAffinity addedAffinity", () => {
  const s = Snapshot.from([
    node("gpu", { labels: { pool: "gpu" } }),
    node("cpu", { labels: { pool: "cpu" } }),
  ]);
  const args = {
    addedAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "pool", operator: "In" as const, values: ["gpu", "cpu"] }] },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 10,
          preference: {
            matchExpressions: [{ key: "pool", operator: "In" as const, values: ["cpu"] }],
          },
        },
      ],
    },
  };
  it("enforces the profile's required affinity on every pod, before the pod's own", () => {
    const enforced = Snapshot.from([node("other", { labels: { pool: "x" } })]);
    expect(filterAll(nodeAffinity.create(args), pod("p"), enforced)).toEqual({
      other: `UnschedulableAndUnresolvable: ${nodeAffinity.ERR_REASON_ENFORCED}`,
    });
    expect(
      filterAll(nodeAffinity.create(args), pod("p", { nodeSelector: { pool: "gpu" } }), s),
    ).toEqual({
      gpu: "ok",
      cpu: `UnschedulableAndUnresolvable: ${nodeAffinity.ERR_REASON_POD}`,
    });
  });
  it("adds the profile's preferred terms to scoring", () => {
    expect(scoreAll(nodeAffinity.create(args), pod("p"), s)).toEqual({ gpu: 0, cpu: 100 });
  });
});
