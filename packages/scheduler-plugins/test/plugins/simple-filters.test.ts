import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/types.js";
import * as nodeName from "../../src/plugins/node-name/index.js";
import * as nodePorts from "../../src/plugins/node-ports/index.js";
import * as nodeUnschedulable from "../../src/plugins/node-unschedulable/index.js";
import * as schedulingGates from "../../src/plugins/scheduling-gates/index.js";
import { container, filterAll, node, onNode, pod, Snapshot } from "../fixtures.js";

describe("NodeName", () => {
  const snapshot = Snapshot.from([node("a"), node("b")]);
  it.each<[string, Pod, Record<string, string>]>([
    ["no nodeName fits every node", pod("p"), { a: "ok", b: "ok" }],
    [
      "nodeName fits only that node",
      pod("p", { nodeName: "b" }),
      { a: `UnschedulableAndUnresolvable: ${nodeName.ERR_REASON}`, b: "ok" },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(nodeName.create(), p, snapshot)).toEqual(want);
  });
});

describe("NodeUnschedulable", () => {
  const snapshot = Snapshot.from([node("cordoned", { unschedulable: true }), node("open")]);
  it.each<[string, Pod, Record<string, string>]>([
    [
      "a cordoned node rejects a plain pod",
      pod("p"),
      { cordoned: "UnschedulableAndUnresolvable: node(s) were unschedulable", open: "ok" },
    ],
    [
      "tolerating the unschedulable taint admits the pod",
      pod("p", {
        tolerations: [
          { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
        ],
      }),
      { cordoned: "ok", open: "ok" },
    ],
    [
      "an Exists toleration with empty key tolerates everything",
      pod("p", { tolerations: [{ operator: "Exists" }] }),
      { cordoned: "ok", open: "ok" },
    ],
    [
      "a toleration for another effect does not",
      pod("p", {
        tolerations: [
          { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoExecute" },
        ],
      }),
      { cordoned: "UnschedulableAndUnresolvable: node(s) were unschedulable", open: "ok" },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(nodeUnschedulable.create(), p, snapshot)).toEqual(want);
  });
});

describe("NodePorts", () => {
  const withPorts = (...ports: { hostPort: number; hostIP?: string; protocol?: "TCP" | "UDP" }[]) =>
    pod("p", {
      containers: [
        container(undefined, { ports: ports.map((p) => ({ containerPort: 80, ...p })) }),
      ],
    });
  const existing = onNode(
    withPorts({ hostPort: 8080, hostIP: "10.0.0.1" }, { hostPort: 53, protocol: "UDP" }),
    "busy",
  );
  const snapshot = Snapshot.from([node("busy"), node("free")], [existing]);
  const conflict = `Unschedulable: ${nodePorts.ERR_REASON}`;
  it.each<[string, Pod, Record<string, string>]>([
    ["no host ports skips the check", pod("p"), { busy: "ok", free: "ok" }],
    [
      "same ip and port conflicts",
      withPorts({ hostPort: 8080, hostIP: "10.0.0.1" }),
      { busy: conflict, free: "ok" },
    ],
    [
      "another ip on the same port is fine",
      withPorts({ hostPort: 8080, hostIP: "10.0.0.2" }),
      { busy: "ok", free: "ok" },
    ],
    [
      "0.0.0.0 conflicts with any ip",
      withPorts({ hostPort: 8080 }),
      { busy: conflict, free: "ok" },
    ],
    [
      "another protocol is fine",
      withPorts({ hostPort: 53, protocol: "TCP" }),
      { busy: "ok", free: "ok" },
    ],
    [
      "a specific ip conflicts with a wildcard use",
      withPorts({ hostPort: 53, hostIP: "10.0.0.9", protocol: "UDP" }),
      { busy: conflict, free: "ok" },
    ],
  ])("%s", (_, p, want) => {
    expect(filterAll(nodePorts.create(), p, snapshot)).toEqual(want);
  });
});

describe("SchedulingGates", () => {
  it("gates a pod until its gates are gone", () => {
    const plugin = schedulingGates.create();
    expect(
      plugin.preEnqueue(pod("p", { schedulingGates: [{ name: "a" }, { name: "b" }] })).toString(),
    ).toBe("UnschedulableAndUnresolvable: waiting for scheduling gates: [a b]");
    expect(plugin.preEnqueue(pod("p")).isSuccess()).toBe(true);
  });
});
