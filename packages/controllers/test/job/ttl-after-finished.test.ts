import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import { garbageCollectorController } from "../../src/garbagecollector/index.js";
import { type Job, ttlAfterFinishedController, ttlExpiry } from "../../src/job/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";

const finished = (ttl: number | undefined, at = "2026-03-01T00:00:00Z"): Job => ({
  metadata: { name: "j" },
  spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
  status: { conditions: [{ type: "Complete", status: "True", lastTransitionTime: at }] },
});

describe("ttlExpiry", () => {
  it("counts the TTL from the final condition, only for finished Jobs with a TTL", () => {
    expect(ttlExpiry(finished(60))).toBe(Date.parse("2026-03-01T00:01:00Z"));
    expect(ttlExpiry(finished(undefined))).toBeUndefined();
    expect(
      ttlExpiry({ metadata: { name: "j" }, spec: { ttlSecondsAfterFinished: 0 } }),
    ).toBeUndefined();
  });
});

describe("the ttl-after-finished controller on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [
      ttlAfterFinishedController,
      garbageCollectorController,
    ]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  it("deletes a finished Job once its TTL has passed, and keeps one without a TTL", async () => {
    const jobs = plane.client.resource<Job>(R.jobs).namespace("default");
    for (const [name, ttl] of [
      ["short-lived", 1],
      ["kept", undefined],
    ] as const) {
      const job = await jobs.create({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name },
        spec: {
          ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }),
          template: {
            spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
          },
        },
      });
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      await jobs.updateStatus({
        ...job,
        status: {
          startTime: now,
          completionTime: now,
          succeeded: 1,
          conditions: [
            { type: "SuccessCriteriaMet", status: "True", lastTransitionTime: now },
            { type: "Complete", status: "True", lastTransitionTime: now },
          ],
        },
      });
    }
    await eventually(
      "short-lived deleted",
      async () =>
        (await jobs.get("short-lived").catch(() => undefined)) === undefined ? true : undefined,
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const kept = await jobs.get("kept");
    expect(kept.metadata?.deletionTimestamp).toBeUndefined();
  });
});
