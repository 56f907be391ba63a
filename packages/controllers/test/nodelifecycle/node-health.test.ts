import { describe, expect, it } from "vitest";
import type { Node } from "../../src/common/types.js";
import {
  conditionsAfterSilence,
  desiredTaints,
  evictionTime,
} from "../../src/nodelifecycle/index.js";

const NOW = "2026-03-01T00:00:00Z";
const node = (conditions: { type: string; status: string }[], spec: Node["spec"] = {}): Node => ({
  metadata: { name: "n1", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec,
  status: {
    conditions: conditions.map((c) => ({ ...c, lastHeartbeatTime: "2026-02-28T23:59:00Z" })),
  },
});

describe("conditionsAfterSilence", () => {
  it("turns Ready and the pressure conditions Unknown with upstream's reason and message", () => {
    const after = conditionsAfterSilence(
      node([
        { type: "Ready", status: "True" },
        { type: "MemoryPressure", status: "False" },
        { type: "NetworkUnavailable", status: "False" },
      ]),
      NOW,
    );
    expect(after).toEqual([
      {
        type: "Ready",
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
        lastHeartbeatTime: "2026-02-28T23:59:00Z",
        lastTransitionTime: NOW,
      },
      {
        type: "MemoryPressure",
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
        lastHeartbeatTime: "2026-02-28T23:59:00Z",
        lastTransitionTime: NOW,
      },
      { type: "NetworkUnavailable", status: "False", lastHeartbeatTime: "2026-02-28T23:59:00Z" },
    ]);
    expect(
      conditionsAfterSilence(node([{ type: "Ready", status: "Unknown" }]), NOW),
    ).toBeUndefined();
  });

  it("reports a node that never posted status", () => {
    expect(conditionsAfterSilence(node([]), NOW)).toEqual([
      {
        type: "Ready",
        status: "Unknown",
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
        lastHeartbeatTime: "2026-01-01T00:00:00Z",
        lastTransitionTime: NOW,
      },
    ]);
  });
});

describe("desiredTaints", () => {
  it("taints unreachable and not-ready nodes NoSchedule and NoExecute, keeping other taints", () => {
    const own = { key: "dedicated", value: "db", effect: "NoSchedule" };
    expect(
      desiredTaints(node([{ type: "Ready", status: "Unknown" }], { taints: [own] }), NOW),
    ).toEqual([
      own,
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: NOW },
    ]);
    expect(
      desiredTaints(node([{ type: "Ready", status: "False" }], { unschedulable: true }), NOW),
    ).toEqual([
      { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", effect: "NoExecute", timeAdded: NOW },
    ]);
  });

  it("keeps timeAdded of an existing taint and removes managed taints when the node recovers", () => {
    const old = {
      key: "node.kubernetes.io/unreachable",
      effect: "NoExecute",
      timeAdded: "2026-02-01T00:00:00Z",
    };
    const still = desiredTaints(
      node([{ type: "Ready", status: "Unknown" }], { taints: [old] }),
      NOW,
    );
    expect(still).toContainEqual(old);
    const own = { key: "example.com/x", effect: "NoExecute" };
    expect(
      desiredTaints(node([{ type: "Ready", status: "True" }], { taints: [old, own] }), NOW),
    ).toEqual([own]);
  });
});

describe("evictionTime", () => {
  const taint = {
    key: "node.kubernetes.io/unreachable",
    effect: "NoExecute",
    timeAdded: "2026-03-01T00:00:00Z",
  };
  const t0 = Date.parse("2026-03-01T00:00:00Z");
  it("evicts at once without a toleration, after the shortest tolerationSeconds, or never", () => {
    expect(evictionTime([taint], [], 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(
      evictionTime(
        [taint],
        [
          { key: taint.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
          { operator: "Exists", tolerationSeconds: 30 },
        ],
        0,
      ),
    ).toBe(t0 + 30_000);
    expect(evictionTime([taint], [{ key: taint.key, operator: "Exists" }], 0)).toBeUndefined();
    expect(evictionTime([{ key: "a", effect: "NoSchedule" }], [], 0)).toBeUndefined();
    // Without timeAdded, counted from when the controller first saw it.
    expect(
      evictionTime(
        [{ key: "a", effect: "NoExecute" }],
        [{ key: "a", operator: "Exists", tolerationSeconds: 1 }],
        5000,
      ),
    ).toBe(6000);
  });
});
