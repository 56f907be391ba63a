import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ControlPlane,
  type KubekitProcess,
  startControlPlane,
} from "./support/control-plane.js";

/**
 * `kubekit scheduler` as an operator runs it: on `kubekit apiserver` on
 * `kubekit store`, all three as processes, driven by the real kubectl.
 * Pods get bound to the node they fit on; a pod that fits nowhere waits.
 */

const node = (name: string, taint: boolean) =>
  [
    "apiVersion: v1",
    "kind: Node",
    `metadata: { name: ${name}, labels: { kubernetes.io/hostname: ${name} } }`,
    taint ? "spec: { taints: [{ key: dedicated, value: infra, effect: NoSchedule }] }" : "spec: {}",
    "status:",
    "  capacity: { cpu: '4', memory: 8Gi, pods: '110' }",
    "  allocatable: { cpu: '4', memory: 8Gi, pods: '110' }",
    "  conditions: [{ type: Ready, status: 'True', reason: KubeletReady }]",
  ].join("\n");

const pod = (name: string, cpu: string) =>
  [
    "apiVersion: v1",
    "kind: Pod",
    `metadata: { name: ${name}, namespace: sched }`,
    "spec:",
    "  containers:",
    "  - name: app",
    "    image: busybox",
    `    resources: { requests: { cpu: '${cpu}', memory: 64Mi } }`,
  ].join("\n");

describe("kubekit scheduler on kubekit apiserver, driven by kubectl", () => {
  let plane: ControlPlane;
  let scheduler: KubekitProcess;
  const kubectl = (...args: string[]) => plane.kubectl(...args);
  const nodeNameOf = (name: string) =>
    kubectl("-n", "sched", "get", "pod", name, "-o", "jsonpath={.spec.nodeName}");

  beforeAll(async () => {
    plane = await startControlPlane("scheduler-on-apiserver");
    scheduler = plane.start("scheduler", `--kubeconfig=${plane.kubeconfig}`, "--secure-port=0");
    await eventually("the scheduler to sync its caches", async () => {
      if (scheduler.child.exitCode !== null)
        throw new Error(`kubekit scheduler exited: ${scheduler.log()}`);
      return scheduler.log().includes("caches synced") || undefined;
    });
  }, 120_000);

  afterAll(async () => {
    await plane?.stop();
  });

  it("binds a pod to the untainted node it fits on, and leaves an unfittable pod pending", async () => {
    const nodes = join(plane.dir.path, "nodes.yaml");
    await writeFile(nodes, [node("tainted", true), node("worker", false)].join("\n---\n"));
    await kubectl("apply", "--validate=false", "-f", nodes);
    // Make sure the status (allocatable) is there even if create dropped it.
    for (const name of ["tainted", "worker"]) {
      await kubectl(
        "patch",
        "node",
        name,
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({
          status: {
            capacity: { cpu: "4", memory: "8Gi", pods: "110" },
            allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
            conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
          },
        }),
      );
    }

    const pods = join(plane.dir.path, "pods.yaml");
    await writeFile(
      pods,
      [
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: sched }",
        pod("fits", "500m"),
        pod("too-big", "64"),
      ].join("\n---\n"),
    );
    await kubectl("apply", "--validate=false", "-f", pods);

    await eventually(
      "the pod to be bound",
      async () => {
        const bound = await nodeNameOf("fits");
        return bound !== "" ? bound : undefined;
      },
      { timeoutMs: 20_000 },
    ).then((bound) => expect(bound).toBe("worker"));
    const scheduled = JSON.parse(await kubectl("-n", "sched", "get", "pod", "fits", "-o", "json"));
    expect(scheduled.status.conditions).toContainEqual(
      expect.objectContaining({ type: "PodScheduled", status: "True" }),
    );

    // kubectl describe shows the scheduler's Warning event with upstream's wording.
    const described = await eventually(
      "a FailedScheduling event on the unfittable pod",
      async () => {
        const text = await kubectl("-n", "sched", "describe", "pod", "too-big");
        return text.includes("FailedScheduling") ? text : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(described).toMatch(/Warning\s+FailedScheduling/);
    expect(described).toContain(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: infra}.",
    );
    expect(await nodeNameOf("too-big")).toBe("");
    const condition = JSON.parse(
      await kubectl(
        "-n",
        "sched",
        "get",
        "pod",
        "too-big",
        "-o",
        "jsonpath={.status.conditions[?(@.type=='PodScheduled')]}",
      ),
    );
    expect(condition).toMatchObject({ status: "False", reason: "Unschedulable" });
  }, 90_000);
});
