import { describe, expect, it } from "vitest";
import { admitCreate, createResourceIndex, type KubeObject } from "../src/index.js";

const index = createResourceIndex();
const jobs = index.byResource("batch", "v1", "jobs")!;
const pods = index.byResource("", "v1", "pods")!;
const ctx = {
  now: () => new Date("2026-03-01T00:00:00Z"),
  newUid: () => "job-uid",
  random: () => 0.5,
  manager: "test",
};

const podSpec = { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] };

function create(def: typeof jobs, body: unknown): KubeObject {
  const r = admitCreate(def, body, { namespace: "default" }, ctx);
  if (!r.ok) throw new Error(r.status.message);
  return r.object;
}

describe("create-time mutations", () => {
  it("generates a Job's selector and template labels from its uid, as upstream's job strategy", () => {
    const job = create(jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pi" },
      spec: { template: { spec: podSpec } },
    });
    const spec = job.spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.selector).toEqual({
      matchLabels: { "batch.kubernetes.io/controller-uid": "job-uid" },
    });
    expect(spec.template.metadata.labels).toEqual({
      "batch.kubernetes.io/controller-uid": "job-uid",
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": "job-uid",
      "job-name": "pi",
    });
  });

  it("leaves a manual selector alone", () => {
    const job = create(jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pi" },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { app: "pi" } },
        template: { metadata: { labels: { app: "pi" } }, spec: podSpec },
      },
    });
    const spec = job.spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.selector).toEqual({ matchLabels: { app: "pi" } });
    expect(spec.template.metadata.labels).toEqual({ app: "pi" });
  });

  it("adds the 300 s not-ready and unreachable tolerations to new pods (DefaultTolerationSeconds)", () => {
    const pod = create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: podSpec,
    });
    expect((pod.spec as { tolerations: unknown }).tolerations).toEqual([
      {
        key: "node.kubernetes.io/not-ready",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 300,
      },
      {
        key: "node.kubernetes.io/unreachable",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 300,
      },
    ]);
  });

  it("keeps a pod's own not-ready toleration and adds only the missing one", () => {
    const own = {
      key: "node.kubernetes.io/not-ready",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 5,
    };
    const pod = create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { ...podSpec, tolerations: [own] },
    });
    expect((pod.spec as { tolerations: unknown[] }).tolerations).toEqual([
      own,
      {
        key: "node.kubernetes.io/unreachable",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 300,
      },
    ]);
    const all = create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "q" },
      spec: { ...podSpec, tolerations: [{ operator: "Exists" }] },
    });
    expect((all.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: "Exists" }]);
  });
});
