import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import type { Pod } from "../../src/common/types.js";
import { type Job, jobController } from "../../src/job/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";
import { reportPodStatus } from "../support/pod-status.js";

const NS = "default";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("the job controller on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [jobController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const jobs = () => plane.client.resource<Job>(R.jobs).namespace(NS);
  const pods = () => plane.client.resource<Pod>(R.pods).namespace(NS);
  const podsOf = async (job: string) =>
    (await pods().list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
  const createJob = (name: string, spec: Record<string, unknown>) =>
    jobs().create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name },
      spec: {
        ...spec,
        template: {
          spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
  /** Plays the kubelet: finishes every running pod of `job` that has not finished, with `phase`. */
  const finishPods = async (
    job: string,
    phase: "Succeeded" | "Failed",
    max = Number.POSITIVE_INFINITY,
  ) => {
    let n = 0;
    for (const p of await podsOf(job)) {
      if (n >= max) break;
      if (
        p.status?.phase === "Succeeded" ||
        p.status?.phase === "Failed" ||
        p.metadata?.deletionTimestamp
      )
        continue;
      await reportPodStatus(plane.client, NS, p.metadata?.name ?? "", { phase, podIP: "10.9.0.1" });
      n++;
    }
    return n;
  };

  it("runs completions with parallelism, tracks pods with the finalizer, and completes", async () => {
    const created = await createJob("count", { completions: 3, parallelism: 2 });
    const first = await eventually(
      "two pods",
      async () => {
        const p = await podsOf("count");
        return p.length === 2 ? p : undefined;
      },
      WAIT,
    );
    for (const p of first) {
      expect(p.metadata?.finalizers).toContain("batch.kubernetes.io/job-tracking");
      expect(p.metadata?.labels).toMatchObject({
        "batch.kubernetes.io/controller-uid": created.metadata?.uid,
        "batch.kubernetes.io/job-name": "count",
        "controller-uid": created.metadata?.uid,
        "job-name": "count",
      });
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: "Job",
        name: "count",
        controller: true,
      });
    }
    await eventually(
      "status.active 2",
      async () => ((await jobs().get("count")).status?.active === 2 ? true : undefined),
      WAIT,
    );

    // Both succeed: one more pod is needed for 3 completions.
    await finishPods("count", "Succeeded");
    const third = await eventually(
      "a third pod",
      async () => {
        const p = await podsOf("count");
        return p.length === 3 ? p : undefined;
      },
      WAIT,
    );
    await finishPods("count", "Succeeded");
    void third;
    const done = await eventually(
      "Complete",
      async () => {
        const j = await jobs().get("count");
        return j.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True")
          ? j
          : undefined;
      },
      WAIT,
    );
    expect(done.status).toMatchObject({
      succeeded: 3,
      failed: 0,
      active: 0,
      uncountedTerminatedPods: {},
    });
    expect(done.status?.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    expect(done.status?.completionTime).toBeDefined();
    expect(done.status?.startTime).toBeDefined();
    // Every finished pod was released.
    await eventually(
      "no tracking finalizers left",
      async () =>
        (await podsOf("count")).every(
          (p) => !p.metadata?.finalizers?.includes("batch.kubernetes.io/job-tracking"),
        )
          ? true
          : undefined,
      WAIT,
    );
    const events = await plane.client.resource(R.events).namespace(NS).list();
    const reasons = events.items
      .filter((e) => (e.involvedObject as { name?: string })?.name === "count")
      .map((e) => e.reason);
    expect(reasons).toContain("SuccessfulCreate");
    expect(reasons).toContain("Completed");
  });

  it("fails with BackoffLimitExceeded after backoffLimit + 1 failures, waiting 10 s before the replacement", async () => {
    await createJob("flaky", { backoffLimit: 1 });
    await eventually(
      "a pod",
      async () => ((await podsOf("flaky")).length === 1 ? true : undefined),
      WAIT,
    );
    await finishPods("flaky", "Failed");
    // The replacement comes after the 10 s backoff.
    await eventually(
      "a replacement pod",
      async () => ((await podsOf("flaky")).length === 2 ? true : undefined),
      WAIT,
    );
    const afterOne = await jobs().get("flaky");
    expect(afterOne.status?.failed).toBe(1);
    await finishPods("flaky", "Failed");
    const failed = await eventually(
      "Failed",
      async () => {
        const j = await jobs().get("flaky");
        return j.status?.conditions?.some((c) => c.type === "Failed") ? j : undefined;
      },
      WAIT,
    );
    expect(failed.status?.failed).toBe(2);
    expect(failed.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ["FailureTarget", "BackoffLimitExceeded"],
      ["Failed", "BackoffLimitExceeded"],
    ]);
  });

  it("fails with DeadlineExceeded and deletes its running pods", async () => {
    await createJob("slow", { activeDeadlineSeconds: 2, parallelism: 2, completions: 4 });
    await eventually(
      "two pods",
      async () => ((await podsOf("slow")).length === 2 ? true : undefined),
      WAIT,
    );
    const failed = await eventually(
      "Failed with DeadlineExceeded",
      async () => {
        const j = await jobs().get("slow");
        return j.status?.conditions?.some(
          (c) => c.type === "Failed" && c.reason === "DeadlineExceeded",
        )
          ? j
          : undefined;
      },
      WAIT,
    );
    expect(failed.status?.active).toBe(0);
    // Its pods were deleted (and counted as failed, as upstream counts deleted pods).
    expect(failed.status?.failed).toBe(2);
    await eventually(
      "pods gone",
      async () => ((await podsOf("slow")).length === 0 ? true : undefined),
      WAIT,
    );
  });

  it("runs an Indexed Job: one pod per index, completedIndexes, Complete", async () => {
    await createJob("indexed", { completionMode: "Indexed", completions: 3, parallelism: 2 });
    const indexOf = (p: Pod) =>
      p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"];
    const first = await eventually(
      "pods for indexes 0 and 1",
      async () => {
        const p = await podsOf("indexed");
        return p.length === 2 ? p : undefined;
      },
      WAIT,
    );
    expect(first.map(indexOf).sort()).toEqual(["0", "1"]);
    // Index 1 succeeds: index 2 starts.
    const one = first.find((p) => indexOf(p) === "1") as Pod;
    await reportPodStatus(plane.client, NS, one.metadata?.name ?? "", {
      phase: "Succeeded",
      podIP: "10.9.0.2",
    });
    await eventually(
      "a pod for index 2",
      async () => ((await podsOf("indexed")).some((p) => indexOf(p) === "2") ? true : undefined),
      WAIT,
    );
    expect((await jobs().get("indexed")).status?.completedIndexes).toBe("1");
    await finishPods("indexed", "Succeeded");
    const done = await eventually(
      "Complete",
      async () => {
        const j = await jobs().get("indexed");
        return j.status?.conditions?.some((c) => c.type === "Complete") ? j : undefined;
      },
      WAIT,
    );
    expect(done.status).toMatchObject({ completedIndexes: "0-2", succeeded: 3, failed: 0 });
  });
});
