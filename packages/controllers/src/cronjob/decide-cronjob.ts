import { isJobFinished, jobFinishTime, trueCondition } from "../job/job-conditions.js";
import type { Job } from "../job/types.js";
import { missedRuns, parseSchedule } from "./schedule.js";
import type { CronJob, JobReference } from "./types.js";

/** What the CronJob controller does this round. */
export interface CronJobDecision {
  status: NonNullable<CronJob["status"]>;
  /** A Job to create for this scheduled time (ms). */
  create?: { name: string; scheduledTime: number };
  /** Jobs to delete: replaced active ones and history past the limits. */
  delete: Job[];
  events: { type: "Normal" | "Warning"; reason: string; message: string }[];
  /** Sync again after this long (the next scheduled time). */
  requeueAfterMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A CronJob's Job name for a scheduled time: `<cronjob>-<minutes since the epoch>`, as upstream. */
export function jobNameFor(cronJob: CronJob, scheduledTime: number): string {
  return `${cronJob.metadata?.name}-${Math.floor(scheduledTime / 60_000)}`;
}

const refTo = (job: Job): JobReference => ({
  apiVersion: "batch/v1",
  kind: "Job",
  namespace: job.metadata?.namespace ?? "",
  name: job.metadata?.name ?? "",
  uid: job.metadata?.uid ?? "",
  resourceVersion: job.metadata?.resourceVersion ?? "",
});

/**
 * Decides a CronJob's round as upstream's syncCronJob: refresh
 * status.active from its Jobs (finished ones leave it, and a completed one
 * sets lastSuccessfulTime), trim finished Jobs past the history limits,
 * and unless suspended start the most recent missed run, if it is not
 * past startingDeadlineSeconds and not already started, honouring the
 * concurrency policy. `jobs` are the Jobs the CronJob controls.
 */
export function decideCronJob(
  cronJob: CronJob,
  jobs: readonly Job[],
  now: number,
): CronJobDecision {
  const spec = cronJob.spec ?? { schedule: "" };
  const status: NonNullable<CronJob["status"]> = { ...cronJob.status };
  const decision: CronJobDecision = { status, delete: [], events: [] };

  // status.active: our running Jobs, in the order they started.
  const running = jobs.filter((j) => !isJobFinished(j) && !j.metadata?.deletionTimestamp);
  const listed = new Set((status.active ?? []).map((r) => r.uid));
  for (const job of jobs) {
    if (isJobFinished(job) && listed.has(job.metadata?.uid)) {
      const how = trueCondition(job, "Complete") ? "Complete" : "Failed";
      decision.events.push({
        type: "Normal",
        reason: "SawCompletedJob",
        message: `Saw completed job: ${job.metadata?.name}, condition: ${how}`,
      });
    }
    const finishedAt = trueCondition(job, "Complete") ? jobFinishTime(job) : undefined;
    if (
      finishedAt &&
      (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < finishedAt.getTime())
    ) {
      status.lastSuccessfulTime = iso(finishedAt.getTime());
    }
  }
  let active = running.map(refTo).sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));

  // History: keep the newest finished Jobs up to each limit.
  const byFinish = (a: Job, b: Job) =>
    (jobFinishTime(b)?.getTime() ?? 0) - (jobFinishTime(a)?.getTime() ?? 0);
  const succeeded = jobs.filter((j) => trueCondition(j, "Complete")).sort(byFinish);
  const failed = jobs.filter((j) => trueCondition(j, "Failed")).sort(byFinish);
  decision.delete.push(
    ...succeeded.slice(spec.successfulJobsHistoryLimit ?? 3),
    ...failed.slice(spec.failedJobsHistoryLimit ?? 1),
  );

  const finish = (): CronJobDecision => {
    if (active.length > 0) status.active = active;
    else delete status.active;
    return decision;
  };

  if (cronJob.metadata?.deletionTimestamp) return finish();
  const parsed = parseSchedule(spec.schedule, spec.timeZone);
  if (!parsed.ok) {
    decision.events.push({ type: "Warning", reason: parsed.reason, message: parsed.message });
    return finish();
  }
  const schedule = parsed.schedule;
  if (spec.suspend) return finish();

  const requeueForNext = (): void => {
    const next = schedule.next(now);
    if (next !== undefined) decision.requeueAfterMs = Math.max(0, next - now) + 100;
  };

  let earliest = Date.parse(
    status.lastScheduleTime ?? cronJob.metadata?.creationTimestamp ?? iso(now),
  );
  if (spec.startingDeadlineSeconds !== undefined) {
    earliest = Math.max(earliest, now - spec.startingDeadlineSeconds * 1000);
  }
  const { mostRecent, count } = missedRuns(schedule, earliest, now);
  if (count > 100) {
    decision.events.push({
      type: "Warning",
      reason: "TooManyMissedTimes",
      message: `too many missed start times: ${count}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    });
  }
  requeueForNext();
  if (mostRecent === undefined) return finish();
  if (
    spec.startingDeadlineSeconds !== undefined &&
    mostRecent + spec.startingDeadlineSeconds * 1000 < now
  ) {
    decision.events.push({
      type: "Warning",
      reason: "MissSchedule",
      message: `Missed scheduled time to start a job: ${iso(mostRecent)}`,
    });
    return finish();
  }
  const jobName = jobNameFor(cronJob, mostRecent);
  if (jobs.some((j) => j.metadata?.name === jobName)) return finish();

  const policy = spec.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && active.length > 0) {
    decision.events.push({
      type: "Normal",
      reason: "JobAlreadyActive",
      message:
        "Not starting job because prior execution is running and concurrency policy is Forbid",
    });
    return finish();
  }
  if (policy === "Replace" && active.length > 0) {
    decision.delete.push(...running);
    active = [];
  }
  decision.create = { name: jobName, scheduledTime: mostRecent };
  status.lastScheduleTime = iso(mostRecent);
  return finish();
}
