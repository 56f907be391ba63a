import { isPodReady } from "../common/pod-status.js";
import type { Pod } from "../common/types.js";
import { completionIndexOf, parseIndexes } from "./indexes.js";
import { setCondition, trueCondition } from "./job-conditions.js";
import {
  type Job,
  type JobStatus,
  MAX_POD_FAILURE_BACKOFF_MS,
  POD_FAILURE_BACKOFF_MS,
} from "./types.js";

/** Failures the controller has seen for a Job since its last success (upstream's backoff record). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureAt?: number;
}

/** What {@link decideJob} is given: the Job (its counts up to date) and its unfinished pods. */
export interface JobInput {
  job: Job;
  /** The Job's pods that have not finished (see podOutcome). */
  active: readonly Pod[];
  /** True while finished pods still wait to be counted (tracking finalizers or uncounted uids). */
  uncountedPods: boolean;
  /** Pods being deleted that have not gone yet. */
  terminating: number;
  now: number;
  backoff: BackoffRecord;
}

/** An Event the controller records on the Job. */
export interface JobEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** What the controller does for a Job this round. */
export interface JobDecision {
  status: JobStatus;
  /** Pods to create from the template. */
  create: number;
  /** For an Indexed Job, the completion indexes of the pods to create (`create` of them). */
  createIndexes?: number[];
  /** Active pods to delete. */
  delete: Pod[];
  events: JobEvent[];
  /** Sync again after this long (a backoff or the active deadline running out). */
  requeueAfterMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The delay before a replacement pod after `failures` consecutive failures: 10 s doubling, capped at 10 min. */
export function podFailureBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
}

/** Active pods in the order upstream deletes surplus ones: unscheduled, then not ready, then newest. */
function deletionOrder(pods: readonly Pod[]): Pod[] {
  const rank = (p: Pod): number => (!p.spec?.nodeName ? 0 : !isPodReady(p) ? 1 : 2);
  return [...pods].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? ""),
  );
}

/**
 * Decides a NonIndexed Job's next step, as upstream's syncJob does since
 * 1.31: a Job that met its completions gets SuccessCriteriaMet, one past
 * its backoffLimit or activeDeadlineSeconds gets FailureTarget; either way
 * its remaining pods are deleted, and the final Complete or Failed
 * condition follows once no pod is left running or uncounted. Otherwise
 * it keeps `min(parallelism, completions - succeeded)` pods running,
 * waiting out the failure backoff before replacing failed ones. A
 * suspended Job runs no pods.
 */
export function decideJob(input: JobInput): JobDecision {
  const { job, active, now } = input;
  const spec = job.spec ?? {};
  const nowText = iso(now);
  const status: JobStatus = { ...job.status };
  let conditions = [...(status.conditions ?? [])];
  const events: JobEvent[] = [];
  const succeeded = status.succeeded ?? 0;
  const failed = status.failed ?? 0;
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? undefined;
  const suspended = spec.suspend === true;
  const decision: JobDecision = { status, create: 0, delete: [], events };

  if (!suspended && !status.startTime) status.startTime = nowText;

  // Has the Job met its end? Conditions once set stay.
  let successMet = trueCondition(job, "SuccessCriteriaMet") !== undefined;
  let failureTarget = trueCondition(job, "FailureTarget");
  if (!successMet && !failureTarget) {
    if (failed > (spec.backoffLimit ?? 6)) {
      conditions = setCondition(
        conditions,
        "FailureTarget",
        "True",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
        nowText,
      );
    } else if (
      spec.activeDeadlineSeconds !== undefined &&
      status.startTime &&
      !suspended &&
      Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 <= now
    ) {
      conditions = setCondition(
        conditions,
        "FailureTarget",
        "True",
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
        nowText,
      );
    } else if (
      completions !== undefined
        ? succeeded >= completions
        : succeeded > 0 && active.length === 0 && !input.uncountedPods
    ) {
      conditions = setCondition(
        conditions,
        "SuccessCriteriaMet",
        "True",
        "CompletionsReached",
        "Reached expected number of succeeded pods",
        nowText,
      );
      successMet = true;
    }
    failureTarget = conditions.find((c) => c.type === "FailureTarget" && c.status === "True");
  }

  if (successMet || failureTarget) {
    // Finishing: stop every pod; the final condition waits until all are counted.
    decision.delete = [...active];
    if (active.length === 0 && !input.uncountedPods) {
      if (failureTarget) {
        conditions = setCondition(
          conditions,
          "Failed",
          "True",
          failureTarget.reason ?? "",
          failureTarget.message ?? "",
          nowText,
        );
        events.push({
          type: "Warning",
          reason: failureTarget.reason ?? "Failed",
          message: failureTarget.message ?? "",
        });
      } else {
        conditions = setCondition(
          conditions,
          "Complete",
          "True",
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          nowText,
        );
        status.completionTime = nowText;
        events.push({ type: "Normal", reason: "Completed", message: "Job completed" });
      }
    }
  } else if (suspended) {
    decision.delete = [...active];
    const wasSuspended = trueCondition(job, "Suspended") !== undefined;
    conditions = setCondition(
      conditions,
      "Suspended",
      "True",
      "JobSuspended",
      "Job suspended",
      nowText,
    );
    if (!wasSuspended)
      events.push({ type: "Normal", reason: "Suspended", message: "Job suspended" });
  } else {
    if (trueCondition(job, "Suspended")) {
      conditions = setCondition(
        conditions,
        "Suspended",
        "False",
        "JobResumed",
        "Job resumed",
        nowText,
      );
      events.push({ type: "Normal", reason: "Resumed", message: "Job resumed" });
    }
    let wantActive: number;
    if (completions === undefined) {
      // A work queue: once one pod succeeded, no new pods start.
      wantActive = succeeded > 0 ? active.length : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(parallelism, completions - succeeded));
    }
    // Indexed: one pod per index not yet completed; pods of completed or duplicate indexes go.
    const indexed = spec.completionMode === "Indexed" && completions !== undefined;
    let running = [...active];
    let pending: number[] = [];
    if (indexed) {
      const completed = parseIndexes(status.completedIndexes, completions);
      const byIndex = new Map<number, Pod>();
      const surplus: Pod[] = [];
      for (const pod of active) {
        const index = completionIndexOf(pod, completions);
        if (index === undefined || completed.has(index) || byIndex.has(index)) surplus.push(pod);
        else byIndex.set(index, pod);
      }
      decision.delete = surplus;
      running = [...byIndex.values()];
      for (let i = 0; i < completions; i++)
        if (!completed.has(i) && !byIndex.has(i)) pending.push(i);
    }
    if (running.length > wantActive) {
      decision.delete = [
        ...decision.delete,
        ...deletionOrder(running).slice(0, running.length - wantActive),
      ];
    } else if (running.length < wantActive) {
      const { failuresAfterLastSuccess, lastFailureAt } = input.backoff;
      const waitUntil =
        lastFailureAt === undefined
          ? now
          : lastFailureAt + podFailureBackoffMs(failuresAfterLastSuccess);
      if (waitUntil > now) {
        decision.requeueAfterMs = waitUntil - now;
      } else {
        decision.create = wantActive - running.length;
        if (indexed) {
          pending = pending.slice(0, decision.create);
          decision.create = pending.length;
          decision.createIndexes = pending;
        }
      }
    }
    if (spec.activeDeadlineSeconds !== undefined && status.startTime) {
      const left = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now;
      decision.requeueAfterMs = Math.min(decision.requeueAfterMs ?? left, left);
    }
  }

  status.conditions = conditions;
  const deleted = new Set(decision.delete);
  const stillActive = active.filter((p) => !deleted.has(p));
  status.active = stillActive.length + decision.create;
  status.ready = stillActive.filter(isPodReady).length;
  status.terminating = input.terminating + deleted.size;
  status.succeeded = succeeded;
  status.failed = failed;
  status.uncountedTerminatedPods ??= {};
  return decision;
}
