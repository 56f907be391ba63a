import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/common/types.js";
import {
  decideJob,
  formatIndexes,
  type Job,
  type JobInput,
  newJobPod,
  parseIndexes,
} from "../../src/job/index.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");

const job = (status: Job["status"] = {}, spec: Job["spec"] = {}): Job => ({
  metadata: { name: "idx", namespace: "default", uid: "u" },
  spec: {
    completionMode: "Indexed",
    completions: 5,
    parallelism: 2,
    backoffLimit: 6,
    template: { spec: { containers: [{ name: "c" }] } },
    ...spec,
  },
  status,
});

const podAt = (index: number | string, name = `idx-${index}`): Pod => ({
  metadata: { name, annotations: { "batch.kubernetes.io/job-completion-index": String(index) } },
  spec: { nodeName: "n" },
  status: { phase: "Running" },
});

const input = (j: Job, active: Pod[] = []): JobInput => ({
  job: j,
  active,
  uncountedPods: false,
  terminating: 0,
  now: NOW,
  backoff: { failuresAfterLastSuccess: 0 },
});

describe("completed indexes", () => {
  it("parse and format upstream's interval list", () => {
    expect([...parseIndexes("0-2,4,7-8", 8)].sort()).toEqual([0, 1, 2, 4, 7]);
    expect(formatIndexes([4, 0, 2, 1, 7, 8])).toBe("0-2,4,7-8");
    expect(formatIndexes([])).toBe("");
  });
});

describe("decideJob for Indexed Jobs", () => {
  it("starts the lowest indexes that are neither completed nor running", () => {
    const d = decideJob(input(job({ completedIndexes: "0", succeeded: 1 }), [podAt(2)]));
    expect(d.createIndexes).toEqual([1]);
    expect(d.create).toBe(1);
  });

  it("deletes pods of completed, duplicate or invalid indexes", () => {
    const done = podAt(0);
    const first = podAt(1, "idx-1-a");
    const dup = podAt(1, "idx-1-b");
    const bad = podAt("x");
    const d = decideJob(
      input(job({ completedIndexes: "0", succeeded: 1 }), [done, first, dup, bad]),
    );
    expect(d.delete).toEqual([done, dup, bad]);
    expect(d.createIndexes).toEqual([2]);
  });

  it("completes when every index succeeded", () => {
    const d = decideJob(input(job({ completedIndexes: "0-4", succeeded: 5 })));
    expect(d.status.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
  });
});

describe("newJobPod for an index", () => {
  it("carries the index as annotation, label, hostname and JOB_COMPLETION_INDEX", () => {
    const pod = newJobPod(job(), 3);
    expect(pod.metadata?.generateName).toBe("idx-3-");
    expect(pod.metadata?.annotations).toEqual({ "batch.kubernetes.io/job-completion-index": "3" });
    expect(pod.metadata?.labels).toEqual({ "batch.kubernetes.io/job-completion-index": "3" });
    expect(pod.spec?.hostname).toBe("idx-3");
    expect(pod.spec?.containers?.[0]?.env).toEqual([
      {
        name: "JOB_COMPLETION_INDEX",
        valueFrom: {
          fieldRef: {
            fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
          },
        },
      },
    ]);
  });
});
