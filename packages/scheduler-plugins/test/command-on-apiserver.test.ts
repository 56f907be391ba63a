import { request } from "node:https";
import type { CoreEvent, KubeObject } from "@kubekit/client";
import { Resources } from "@kubekit/client";
import { eventually, freePort } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type RunningScheduler, runSchedulerCommand } from "./support/run-command.js";

/**
 * `kubekit scheduler` (the command, in this process) on the real apiserver
 * and store-raft: what it writes back for users to see. Events, the
 * PodScheduled condition, nominatedNodeName after preemption, metrics.
 */

const node = (name: string, cpu: string, controlPlane = false): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  spec: controlPlane
    ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }
    : {},
  status: {
    capacity: { cpu, memory: "8Gi", pods: "110" },
    allocatable: { cpu, memory: "8Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True" }],
  },
});

const pod = (name: string, cpu: string, priority = 0): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "sched" },
  spec: {
    priority,
    containers: [{ name: "app", image: "busybox", resources: { requests: { cpu } } }],
  },
});

async function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += String(c);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("kubekit scheduler on the apiserver: events, conditions, metrics", () => {
  let plane: InProcessControlPlane;
  let scheduler: RunningScheduler;
  const pods = () => plane.client.resource(Resources.pods).namespace("sched");
  const eventsFor = async (podName: string, reason: string) =>
    (
      await plane.client
        .resource<CoreEvent>(Resources.events)
        .namespace("sched")
        .list({ fieldSelector: `involvedObject.name=${podName}` })
    ).items.filter((e) => e.reason === reason);

  beforeAll(async () => {
    plane = await startInProcessControlPlane("scheduler-command");
    await plane.client
      .resource(Resources.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "sched" } });
    for (const n of [
      node("small-1", "1"),
      node("small-2", "1"),
      node("small-3", "1"),
      node("cp-1", "8", true),
      node("cp-2", "8", true),
    ]) {
      // The apiserver drops status on create, as upstream's does: write it as the kubelet would.
      await plane.client.resource(Resources.nodes).create(n);
      await plane.client
        .resource(Resources.nodes)
        .patch(n.metadata?.name ?? "", "merge", { status: n.status }, { subresource: "status" });
    }
    scheduler = runSchedulerCommand([
      `--kubeconfig=${plane.kubeconfig}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
    ]);
    await eventually("the scheduler to sync its caches", async () =>
      scheduler.logs().some((l) => l.msg === "caches synced") ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await scheduler?.stop();
    await plane?.stop();
  });

  it("records FailedScheduling with upstream's message and sets PodScheduled=False", async () => {
    await pods().create(pod("too-big", "2"));
    const message =
      "0/5 nodes are available: 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. " +
      "preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..";
    const [event] = await eventually(
      "a FailedScheduling event",
      async () => {
        const found = await eventsFor("too-big", "FailedScheduling");
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(event).toMatchObject({
      type: "Warning",
      message,
      involvedObject: { kind: "Pod", name: "too-big", namespace: "sched" },
      reportingComponent: "default-scheduler",
      source: { component: "default-scheduler" },
    });
    const condition = await eventually("PodScheduled=False on the pod", async () => {
      const p = (await pods().get("too-big")) as { status?: { conditions?: { type: string }[] } };
      return p.status?.conditions?.find((c) => c.type === "PodScheduled");
    });
    expect(condition).toMatchObject({ status: "False", reason: "Unschedulable", message });
    expect(((await pods().get("too-big")) as { spec: { nodeName?: string } }).spec.nodeName).toBe(
      undefined,
    );
  }, 60_000);

  it("records Scheduled when a pod is bound", async () => {
    await pods().create(pod("fits", "500m"));
    const [event] = await eventually(
      "a Scheduled event",
      async () => {
        const found = await eventsFor("fits", "Scheduled");
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const bound = (await pods().get("fits")) as { spec: { nodeName: string } };
    expect(bound.spec.nodeName).toMatch(/^small-/);
    expect(event).toMatchObject({
      type: "Normal",
      message: `Successfully assigned sched/fits to ${bound.spec.nodeName}`,
    });
  }, 60_000);

  it("preempts a lower-priority pod: the victim is deleted and the node nominated", async () => {
    // Fill the two other small nodes with low-priority pods, then ask for a whole small node at high priority.
    await pods().create(pod("low-a", "1"));
    await pods().create(pod("low-b", "1"));
    await eventually(
      "the low-priority pods to be bound",
      async () => {
        const names = await Promise.all(
          ["low-a", "low-b"].map(
            async (n) => ((await pods().get(n)) as { spec: { nodeName?: string } }).spec.nodeName,
          ),
        );
        return names.every(Boolean) ? names : undefined;
      },
      { timeoutMs: 30_000 },
    );
    await pods().create(pod("important", "1", 1000));
    const nominated = await eventually(
      "the preemptor to be nominated or bound",
      async () => {
        const p = (await pods().get("important")) as {
          spec: { nodeName?: string };
          status?: { nominatedNodeName?: string };
        };
        return p.status?.nominatedNodeName ?? undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(nominated).toMatch(/^small-/);
    // The victim is being deleted; no kubelet runs here, so finish its graceful deletion as one would.
    const victim = await eventually("the victim to be terminating", async () =>
      (await pods().list()).items.find(
        (p) =>
          p.metadata?.deletionTimestamp &&
          (p as { spec: { nodeName?: string } }).spec.nodeName === nominated,
      ),
    );
    await pods().delete(victim.metadata?.name ?? "", { gracePeriodSeconds: 0 });
    // The preemptor lands on the node it was nominated to.
    const bound = await eventually(
      "the preemptor to be bound",
      async () =>
        ((await pods().get("important")) as { spec: { nodeName?: string } }).spec.nodeName ||
        undefined,
      { timeoutMs: 30_000 },
    );
    expect(bound).toBe(nominated);
    // Exactly one pod of priority 0 (whichever preemption chose) made room.
    const survivors = await eventually("the victim to be gone", async () => {
      const left = (await pods().list()).items
        .map((p) => p.metadata?.name ?? "")
        .filter((n) => ["fits", "low-a", "low-b"].includes(n));
      return left.length === 2 ? left : undefined;
    });
    expect(survivors).not.toContain(victim.metadata?.name);
  }, 90_000);

  it("serves /healthz, /readyz and upstream's metrics over HTTPS", async () => {
    const url = scheduler.url();
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: "ok" });
    expect((await get(`${url}/readyz`)).status).toBe(200);
    const { body } = await get(`${url}/metrics`);
    expect(body).toMatch(
      /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [1-9]/,
    );
    expect(body).toMatch(
      /scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} [1-9]/,
    );
    expect(body).toContain("scheduler_scheduling_attempt_duration_seconds_bucket");
    expect(body).toMatch(/scheduler_pending_pods\{queue="unschedulable"\} [1-9]/);
  }, 30_000);

  it("stops cleanly when told to shut down", async () => {
    await scheduler.stop();
    expect(scheduler.logs().map((l) => l.msg)).toContain("stopped");
    await expect(get(`${scheduler.url()}/healthz`)).rejects.toThrow();
  }, 30_000);
});
