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
 * Two `kubekit scheduler --leader-elect` processes on one apiserver: only
 * the holder of kube-system/kube-scheduler schedules; kill -9 it and the
 * other takes the Lease over and schedules; a leader that loses its Lease
 * exits non-zero, as upstream's does.
 */

const LEASE_FLAGS = [
  "--leader-elect=true",
  "--leader-elect-lease-duration=4s",
  "--leader-elect-renew-deadline=3s",
  "--leader-elect-retry-period=1s",
  "--secure-port=0",
];

interface Candidate {
  proc: KubekitProcess;
  identity: string;
}

const pod = (name: string) =>
  [
    "apiVersion: v1",
    "kind: Pod",
    `metadata: { name: ${name}, namespace: default }`,
    "spec: { containers: [{ name: app, image: busybox, resources: { requests: { cpu: 100m } } }] }",
  ].join("\n");

describe("kubekit scheduler leader election", () => {
  let plane: ControlPlane;
  const candidates: Candidate[] = [];
  const kubectl = (...args: string[]) => plane.kubectl(...args);
  const holder = () =>
    kubectl(
      "-n",
      "kube-system",
      "get",
      "lease",
      "kube-scheduler",
      "-o",
      "jsonpath={.spec.holderIdentity}",
    );
  const nodeNameOf = (name: string) =>
    kubectl("get", "pod", name, "-o", "jsonpath={.spec.nodeName}");
  const createPod = async (name: string) => {
    const file = join(plane.dir.path, `${name}.yaml`);
    await writeFile(file, pod(name));
    await kubectl("apply", "--validate=false", "-f", file);
  };
  const identityOf = (proc: KubekitProcess): string | undefined => {
    for (const line of proc.log().split("\n")) {
      if (!line.includes("attempting to acquire leader lease")) continue;
      return (JSON.parse(line) as { identity: string }).identity;
    }
    return undefined;
  };

  beforeAll(async () => {
    plane = await startControlPlane("scheduler-leader-election");
    const nodeFile = join(plane.dir.path, "node.yaml");
    await writeFile(
      nodeFile,
      "apiVersion: v1\nkind: Node\nmetadata: { name: worker, labels: { kubernetes.io/hostname: worker } }\n",
    );
    await kubectl("apply", "--validate=false", "-f", nodeFile);
    await kubectl(
      "patch",
      "node",
      "worker",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({
        status: {
          capacity: { cpu: "4", memory: "8Gi", pods: "110" },
          allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
          conditions: [{ type: "Ready", status: "True" }],
        },
      }),
    );
    for (let i = 0; i < 2; i++) {
      const proc = plane.start("scheduler", `--kubeconfig=${plane.kubeconfig}`, ...LEASE_FLAGS);
      const identity = await eventually("the scheduler to announce its identity", async () => {
        if (proc.child.exitCode !== null) throw new Error(`scheduler exited: ${proc.log()}`);
        return identityOf(proc);
      });
      candidates.push({ proc, identity });
    }
  }, 120_000);

  afterAll(async () => {
    await plane?.stop();
  });

  it("lets only the lease holder schedule, and fails over when it is killed", async () => {
    const leaderIdentity = await eventually(
      "one candidate to hold the lease",
      async () => {
        const h = await holder();
        return candidates.some((c) => c.identity === h) ? h : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const leader = candidates.find((c) => c.identity === leaderIdentity)!;
    const follower = candidates.find((c) => c !== leader)!;

    await createPod("first");
    expect(
      await eventually(
        "the first pod to be bound",
        async () => (await nodeNameOf("first")) || undefined,
        {
          timeoutMs: 30_000,
        },
      ),
    ).toBe("worker");
    expect(leader.proc.log()).toContain("Successfully assigned default/first to worker");
    expect(follower.proc.log()).not.toContain("successfully acquired lease");
    expect(follower.proc.log()).not.toContain("Successfully assigned");

    leader.proc.child.kill("SIGKILL");
    await eventually(
      "the follower to take the lease over",
      async () => ((await holder()) === follower.identity ? true : undefined),
      { timeoutMs: 30_000 },
    );
    await createPod("second");
    expect(
      await eventually(
        "the second pod to be bound",
        async () => (await nodeNameOf("second")) || undefined,
        {
          timeoutMs: 30_000,
        },
      ),
    ).toBe("worker");
    expect(follower.proc.log()).toContain("Successfully assigned default/second to worker");
  }, 120_000);

  it("exits non-zero when it loses the lease to another holder", async () => {
    const leader = candidates.find(
      (c) => c.proc.child.exitCode === null && c.proc.child.signalCode === null,
    )!;
    const now = new Date().toISOString().replace("Z", "000Z");
    // Another scheduler (here: kubectl) takes the lease; the leader cannot renew within its deadline.
    await kubectl(
      "-n",
      "kube-system",
      "patch",
      "lease",
      "kube-scheduler",
      "--type=merge",
      "-p",
      JSON.stringify({
        spec: { holderIdentity: "intruder", renewTime: now, leaseDurationSeconds: 3600 },
      }),
    );
    const code = await eventually(
      "the old leader to exit",
      async () => leader.proc.child.exitCode ?? undefined,
      { timeoutMs: 30_000 },
    );
    expect(code).not.toBe(0);
    expect(leader.proc.log()).toContain("leaderelection lost");
  }, 60_000);
});
