import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import { type CronJob, cronJobController } from "../../src/cronjob/index.js";
import type { Job } from "../../src/job/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";

const NS = "default";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("the cronjob controller on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [cronJobController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  it("starts the missed run, records it in status, and notices its completion", async () => {
    const cronJobs = plane.client.resource<CronJob>(R.cronJobs).namespace(NS);
    const jobs = plane.client.resource<Job>(R.jobs).namespace(NS);
    await cronJobs.create({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick" },
      spec: {
        schedule: "* * * * *",
        suspend: true,
        concurrencyPolicy: "Forbid",
        jobTemplate: {
          metadata: { labels: { app: "tick" } },
          spec: {
            template: {
              spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
            },
          },
        },
      },
    });
    // Pretend the last run was five minutes ago, then resume: the latest missed minute is due now.
    const suspended = await cronJobs.get("tick");
    await cronJobs.updateStatus({
      ...suspended,
      status: { lastScheduleTime: iso(Date.now() - 5 * 60_000) },
    });
    const resumed = await cronJobs.get("tick");
    await cronJobs.update({
      ...resumed,
      spec: { ...resumed.spec, schedule: "* * * * *", suspend: false },
    });

    const job = await eventually(
      "a job for the latest minute",
      async () => (await jobs.list()).items.find((j) => j.metadata?.name?.startsWith("tick-")),
      WAIT,
    );
    const minutes = Number(job.metadata?.name?.slice("tick-".length));
    expect(minutes * 60_000).toBeLessThanOrEqual(Date.now());
    expect(minutes * 60_000).toBeGreaterThan(Date.now() - 5 * 60_000);
    expect(job.metadata?.labels).toMatchObject({ app: "tick" });
    expect(job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(
      iso(minutes * 60_000),
    );
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "CronJob",
      name: "tick",
      controller: true,
    });

    const withActive = await eventually(
      "status.active lists the job",
      async () => {
        const c = await cronJobs.get("tick");
        return c.status?.active?.[0]?.name === job.metadata?.name ? c : undefined;
      },
      WAIT,
    );
    expect(withActive.status?.lastScheduleTime).toBe(iso(minutes * 60_000));

    // The job completes (no job controller here: write its final status directly).
    const finishedAt = iso(Date.now());
    await jobs.updateStatus({
      ...job,
      status: {
        startTime: finishedAt,
        completionTime: finishedAt,
        succeeded: 1,
        conditions: [
          { type: "SuccessCriteriaMet", status: "True", lastTransitionTime: finishedAt },
          { type: "Complete", status: "True", lastTransitionTime: finishedAt },
        ],
      },
    });
    const done = await eventually(
      "active cleared and lastSuccessfulTime set",
      async () => {
        const c = await cronJobs.get("tick");
        return !c.status?.active && c.status?.lastSuccessfulTime ? c : undefined;
      },
      WAIT,
    );
    expect(done.status?.lastSuccessfulTime).toBe(finishedAt);
  });
});
