import { describe, expect, it } from "vitest";
import type { PodStatus } from "../src/index.js";
import { podStatusPatch, reconcilePodStatus } from "../src/index.js";

const running: PodStatus = {
  phase: "Running",
  conditions: [
    { type: "PodScheduled", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" },
    { type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:05Z" },
  ],
  hostIP: "192.0.2.10",
  hostIPs: [{ ip: "192.0.2.10" }],
  podIP: "10.1.0.5",
  podIPs: [{ ip: "10.1.0.5" }],
  startTime: "2026-01-01T00:00:01Z",
  containerStatuses: [
    {
      name: "main",
      ready: true,
      restartCount: 0,
      image: "busybox",
      imageID: "",
      state: { running: { startedAt: "2026-01-01T00:00:04Z" } },
    },
  ],
  qosClass: "BestEffort",
} as PodStatus;

describe("pod status patches", () => {
  it("sends nothing when the API already has the status, whatever the key order", () => {
    const reordered = Object.fromEntries(Object.entries(running).reverse());
    expect(podStatusPatch("u1", reordered, running)).toBeUndefined();
  });

  it("sends only the fields that changed, with the uid as a precondition", () => {
    const next: PodStatus = {
      ...running,
      containerStatuses: [{ ...running.containerStatuses[0], restartCount: 1 } as never],
    };
    expect(podStatusPatch("u1", running, next)).toEqual({
      metadata: { uid: "u1" },
      status: { containerStatuses: next.containerStatuses },
    });
  });

  it("removes fields the kubelet no longer reports, and sends everything to an empty status", () => {
    const { podIP: _ip, podIPs: _ips, ...withoutIP } = running;
    expect(podStatusPatch("u1", running, withoutIP as PodStatus)?.status).toEqual({
      podIP: null,
      podIPs: null,
    });
    const patch = podStatusPatch("u1", { phase: "Pending" }, running);
    expect(Object.keys(patch?.status ?? {}).sort()).toEqual(
      [
        "conditions",
        "containerStatuses",
        "hostIP",
        "hostIPs",
        "phase",
        "podIP",
        "podIPs",
        "qosClass",
        "startTime",
      ].sort(),
    );
  });
});

describe("reconciling with the API's status", () => {
  it("never moves a pod out of a terminal phase the API recorded", () => {
    const succeeded = { ...running, phase: "Succeeded" } as PodStatus;
    expect(reconcilePodStatus(succeeded, running).phase).toBe("Succeeded");
    expect(reconcilePodStatus({ ...running, phase: "Failed" }, running).phase).toBe("Failed");
    expect(reconcilePodStatus(running, succeeded).phase).toBe("Succeeded");
    expect(reconcilePodStatus({ phase: "Pending" }, running).phase).toBe("Running");
  });

  it("keeps conditions others own (DisruptionTarget, readiness gates) next to the kubelet's", () => {
    const api = {
      ...running,
      conditions: [
        ...running.conditions,
        { type: "example.com/gate", status: "True" },
        { type: "Ready", status: "False" },
      ],
    } as PodStatus;
    const merged = reconcilePodStatus(api, running);
    expect(merged.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      "PodScheduled=True",
      "Ready=True",
      "example.com/gate=True",
    ]);
  });
});
