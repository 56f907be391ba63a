import type { Job, JobCondition } from "./types.js";

/** The condition of `type` if it is True. */
export function trueCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/** True when the Job has its final Complete or Failed condition. */
export function isJobFinished(job: Job): boolean {
  return trueCondition(job, "Complete") !== undefined || trueCondition(job, "Failed") !== undefined;
}

/** When the Job finished (its final condition's transition time), if it has. */
export function jobFinishTime(job: Job): Date | undefined {
  const c = trueCondition(job, "Complete") ?? trueCondition(job, "Failed");
  return c?.lastTransitionTime ? new Date(c.lastTransitionTime) : undefined;
}

/**
 * `conditions` with `type` set to `status`: an existing condition keeps
 * its transition time unless its status changes, as upstream's
 * ensureJobConditionStatus does.
 */
export function setCondition(
  conditions: readonly JobCondition[],
  type: string,
  status: "True" | "False",
  reason: string,
  message: string,
  now: string,
): JobCondition[] {
  const existing = conditions.find((c) => c.type === type);
  if (existing && existing.status === status && existing.reason === reason) return [...conditions];
  if (!existing && status === "False") return [...conditions];
  const condition: JobCondition = {
    type,
    status,
    lastProbeTime: now,
    lastTransitionTime:
      existing && existing.status === status ? (existing.lastTransitionTime ?? now) : now,
    reason,
    message,
  };
  return existing
    ? conditions.map((c) => (c.type === type ? condition : c))
    : [...conditions, condition];
}
