import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/common/types.js";
import { decideJob, type Job, type JobInput, podFailureBackoffMs } from "../../src/job/index.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");

const job = (spec: Job["spec"] = {}, status: Job["status"] = {}): Job => ({
  metadata: { name: "pi", namespace: "default", uid: "job-uid" },
  spec: { parallelism: 1, completions: 1, backoffLimit: 6, ...spec },
  status,
});

const pod = (name: string, ready = false): Pod => ({
  metadata: { name, creationTimestamp: `2026-02-28T00:00:0${name.length % 10}Z` },
  spec: { nodeName: "n1" },
  status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

const input = (j: Job, active: Pod[] = [], extra: Partial<JobInput> = {}): JobInput => ({
  job: j,
  active,
  uncountedPods: false,
  terminating: 0,
  now: NOW,
  backoff: { failuresAfterLastSuccess: 0 },
  ...extra,
});

describe("decideJob", () => {
  it("starts min(parallelism, completions - succeeded) pods and stamps startTime", () => {
    const d = decideJob(input(job({ parallelism: 3, completions: 5 }, { succeeded: 3 })));
    expect(d.create).toBe(2);
    expect(d.status.startTime).toBe("2026-03-01T00:00:00Z");
    expect(d.status.active).toBe(2);
    expect(d.status.uncountedTerminatedPods).toEqual({});
  });

  it("runs parallelism pods for a work queue until one succeeds, then none new", () => {
    expect(decideJob(input(job({ parallelism: 2, completions: null }))).create).toBe(2);
    const d = decideJob(
      input(job({ parallelism: 2, completions: null }, { succeeded: 1 }), [pod("a")]),
    );
    expect(d.create).toBe(0);
    expect(d.delete).toEqual([]);
  });

  it("deletes surplus pods, unready ones first, when parallelism drops", () => {
    const ready = pod("ready", true);
    const unready = pod("unready");
    const d = decideJob(input(job({ parallelism: 1, completions: 5 }), [ready, unready]));
    expect(d.delete).toEqual([unready]);
    expect(d.status.active).toBe(1);
    expect(d.status.ready).toBe(1);
    expect(d.status.terminating).toBe(1);
  });

  it("completes: SuccessCriteriaMet then Complete with completionTime and a Completed event", () => {
    const d = decideJob(
      input(job({ completions: 2 }, { succeeded: 2, startTime: "2026-02-28T23:59:00Z" })),
    );
    expect(d.status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["SuccessCriteriaMet", "True", "CompletionsReached"],
      ["Complete", "True", "CompletionsReached"],
    ]);
    expect(d.status.completionTime).toBe("2026-03-01T00:00:00Z");
    expect(d.events).toEqual([{ type: "Normal", reason: "Completed", message: "Job completed" }]);
  });

  it("waits for uncounted pods before the final condition", () => {
    const d = decideJob(
      input(job({ completions: 1 }, { succeeded: 1 }), [], { uncountedPods: true }),
    );
    expect(d.status.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet"]);
    expect(d.events).toEqual([]);
  });

  it("fails past the backoff limit: FailureTarget, pods deleted, then Failed", () => {
    const running = pod("a");
    const first = decideJob(input(job({ backoffLimit: 1 }, { failed: 2 }), [running]));
    expect(first.delete).toEqual([running]);
    expect(first.status.conditions?.map((c) => [c.type, c.reason])).toEqual([
      ["FailureTarget", "BackoffLimitExceeded"],
    ]);
    const after = job(
      { backoffLimit: 1 },
      { failed: 3, conditions: first.status.conditions ?? [] },
    );
    const second = decideJob(input(after));
    expect(second.status.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ["FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
      ["Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
    ]);
    expect(second.events).toEqual([
      {
        type: "Warning",
        reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit",
      },
    ]);
    expect(second.status.completionTime).toBeUndefined();
  });

  it("fails with DeadlineExceeded once activeDeadlineSeconds have passed, and requeues for the deadline before", () => {
    const early = decideJob(
      input(job({ activeDeadlineSeconds: 60 }, { startTime: "2026-02-28T23:59:30Z" }), [pod("a")]),
    );
    expect(early.requeueAfterMs).toBe(30_000);
    const late = decideJob(
      input(job({ activeDeadlineSeconds: 60 }, { startTime: "2026-02-28T23:58:00Z" }), [pod("a")]),
    );
    expect(late.status.conditions?.[0]).toMatchObject({
      type: "FailureTarget",
      reason: "DeadlineExceeded",
    });
    expect(late.delete).toHaveLength(1);
  });

  it("waits out the failure backoff (10 s doubling) before replacing a failed pod", () => {
    expect([1, 2, 3, 10].map(podFailureBackoffMs)).toEqual([10_000, 20_000, 40_000, 600_000]);
    const j = job({}, { failed: 2, startTime: "2026-02-28T00:00:00Z" });
    const waiting = decideJob(
      input(j, [], { backoff: { failuresAfterLastSuccess: 2, lastFailureAt: NOW - 5_000 } }),
    );
    expect(waiting.create).toBe(0);
    expect(waiting.requeueAfterMs).toBe(15_000);
    const ready = decideJob(
      input(j, [], { backoff: { failuresAfterLastSuccess: 2, lastFailureAt: NOW - 20_000 } }),
    );
    expect(ready.create).toBe(1);
  });

  it("suspends: deletes active pods and sets Suspended, then resumes", () => {
    const d = decideJob(input(job({ suspend: true }), [pod("a")]));
    expect(d.delete).toHaveLength(1);
    expect(d.status.conditions?.[0]).toMatchObject({
      type: "Suspended",
      status: "True",
      reason: "JobSuspended",
    });
    const resumed = decideJob(
      input(job({ suspend: false }, { conditions: d.status.conditions ?? [] })),
    );
    expect(resumed.status.conditions?.[0]).toMatchObject({
      type: "Suspended",
      status: "False",
      reason: "JobResumed",
    });
    expect(resumed.create).toBe(1);
    expect(resumed.events.map((e) => e.reason)).toEqual(["Resumed"]);
  });
});
