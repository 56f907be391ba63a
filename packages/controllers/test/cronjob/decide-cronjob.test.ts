import { describe, expect, it } from "vitest";
import { type CronJob, decideCronJob, jobNameFor } from "../../src/cronjob/index.js";
import type { Job } from "../../src/job/index.js";

const at = (s: string) => Date.parse(s);
const NOW = at("2026-03-01T00:35:30Z");

const cron = (
  spec: Partial<NonNullable<CronJob["spec"]>> = {},
  status: CronJob["status"] = {},
): CronJob => ({
  metadata: {
    name: "report",
    namespace: "default",
    uid: "cj-uid",
    creationTimestamp: "2026-03-01T00:00:00Z",
  },
  spec: { schedule: "*/10 * * * *", ...spec },
  status,
});

const job = (
  name: string,
  outcome?: "Complete" | "Failed",
  finished = "2026-03-01T00:20:00Z",
): Job => ({
  metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "5" },
  status: outcome
    ? { conditions: [{ type: outcome, status: "True", lastTransitionTime: finished }] }
    : {},
});

describe("decideCronJob", () => {
  it("starts the most recent missed run, named by minutes since the epoch, and requeues for the next", () => {
    const d = decideCronJob(cron(), [], NOW);
    expect(d.create).toEqual({
      name: `report-${at("2026-03-01T00:30:00Z") / 60_000}`,
      scheduledTime: at("2026-03-01T00:30:00Z"),
    });
    expect(jobNameFor(cron(), at("2026-03-01T00:30:00Z"))).toBe("report-29538750");
    expect(d.status.lastScheduleTime).toBe("2026-03-01T00:30:00Z");
    expect(d.requeueAfterMs).toBe(at("2026-03-01T00:40:00Z") - NOW + 100);
  });

  it("does not start a run twice", () => {
    const d = decideCronJob(cron(), [job("report-29538750")], NOW);
    expect(d.create).toBeUndefined();
    expect(d.status.active?.map((r) => r.name)).toEqual(["report-29538750"]);
  });

  it("honours Forbid and Replace while a job runs, and Allow runs both", () => {
    const running = job("report-29538740");
    const forbid = decideCronJob(
      cron({ concurrencyPolicy: "Forbid" }, { lastScheduleTime: "2026-03-01T00:20:00Z" }),
      [running],
      NOW,
    );
    expect(forbid.create).toBeUndefined();
    expect(forbid.events.map((e) => e.reason)).toEqual(["JobAlreadyActive"]);
    const replace = decideCronJob(
      cron({ concurrencyPolicy: "Replace" }, { lastScheduleTime: "2026-03-01T00:20:00Z" }),
      [running],
      NOW,
    );
    expect(replace.delete).toEqual([running]);
    expect(replace.create?.name).toBe("report-29538750");
    const allow = decideCronJob(
      cron({}, { lastScheduleTime: "2026-03-01T00:20:00Z" }),
      [running],
      NOW,
    );
    expect(allow.delete).toEqual([]);
    expect(allow.create?.name).toBe("report-29538750");
  });

  it("skips a run past startingDeadlineSeconds with MissSchedule", () => {
    const d = decideCronJob(
      cron({ startingDeadlineSeconds: 600 }, { lastScheduleTime: "2026-03-01T00:10:00Z" }),
      [],
      at("2026-03-01T00:30:20Z"),
    );
    expect(d.create?.scheduledTime).toBe(at("2026-03-01T00:30:00Z"));
    const late = decideCronJob(cron({ startingDeadlineSeconds: 10 }), [], NOW);
    expect(late.create).toBeUndefined();
  });

  it("does nothing while suspended, and reports an unparseable schedule", () => {
    expect(decideCronJob(cron({ suspend: true }), [], NOW).create).toBeUndefined();
    const bad = decideCronJob(cron({ schedule: "nope" }), [], NOW);
    expect(bad.create).toBeUndefined();
    expect(bad.events[0]?.reason).toBe("UnparseableSchedule");
  });

  it("warns about too many missed start times", () => {
    const d = decideCronJob(
      cron({ schedule: "* * * * *" }, { lastScheduleTime: "2026-02-01T00:00:00Z" }),
      [],
      NOW,
    );
    expect(d.events.map((e) => e.reason)).toEqual(["TooManyMissedTimes"]);
    expect(d.create?.scheduledTime).toBe(at("2026-03-01T00:35:00Z"));
  });

  it("drops finished jobs from active, records lastSuccessfulTime and trims history", () => {
    const jobs = [
      job("a", "Complete", "2026-03-01T00:01:00Z"),
      job("b", "Complete", "2026-03-01T00:02:00Z"),
      job("c", "Failed", "2026-03-01T00:03:00Z"),
      job("d", "Failed", "2026-03-01T00:04:00Z"),
    ];
    const d = decideCronJob(
      cron(
        { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 },
        { lastScheduleTime: "2026-03-01T00:30:00Z", active: [{ name: "b", uid: "uid-b" }] },
      ),
      jobs,
      NOW,
    );
    expect(d.status.active).toBeUndefined();
    expect(d.status.lastSuccessfulTime).toBe("2026-03-01T00:02:00Z");
    expect(d.delete.map((j) => j.metadata?.name)).toEqual(["a", "c"]);
    expect(d.events.map((e) => e.reason)).toEqual(["SawCompletedJob"]);
  });
});
