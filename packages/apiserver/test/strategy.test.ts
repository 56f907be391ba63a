import { describe, expect, it } from "vitest";
import {
  admitCreate,
  admitPatch,
  admitUpdate,
  createResourceIndex,
  type KubeObject,
} from "../src/index.js";

const index = createResourceIndex();
const deployments = index.byResource("apps", "v1", "deployments")!;
const nodes = index.byResource("", "v1", "nodes")!;
const pods = index.byResource("", "v1", "pods")!;

let uid = 0;
const ctx = {
  now: () => new Date("2026-03-01T00:00:00Z"),
  newUid: () => `uid-${++uid}`,
  random: () => 0.5,
  manager: "kubectl-client-side-apply",
};

const body = (name = "web") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] },
    },
  },
});

function created(): KubeObject {
  const r = admitCreate(deployments, body(), { namespace: "default" }, ctx);
  if (!r.ok) throw new Error(r.status.message);
  return { ...r.object, metadata: { ...r.object.metadata, resourceVersion: "10" } };
}

describe("admitCreate", () => {
  it("defaults, stamps and records the manager", () => {
    const r = admitCreate(deployments, body(), { namespace: "default" }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.metadata).toMatchObject({
      name: "web",
      namespace: "default",
      generation: 1,
      creationTimestamp: "2026-03-01T00:00:00Z",
      managedFields: [
        { manager: "kubectl-client-side-apply", operation: "Update", apiVersion: "apps/v1" },
      ],
    });
    expect(r.object.spec).toMatchObject({ replicas: 1, strategy: { type: "RollingUpdate" } });
  });

  it("fills in apiVersion and kind", () => {
    const { apiVersion: _a, kind: _k, ...bare } = body();
    const r = admitCreate(deployments, bare, { namespace: "default" }, ctx);
    expect(r.ok && [r.object.apiVersion, r.object.kind]).toEqual(["apps/v1", "Deployment"]);
  });

  it.each([
    [
      { ...body(), apiVersion: "v1" },
      "the API version in the data (v1) does not match the expected API version (apps/v1)",
    ],
    [{ ...body(), kind: "Service" }, 'Service in version "v1" cannot be handled as a Deployment'],
    [
      { ...body(), metadata: { name: "web", namespace: "other" } },
      "the namespace of the provided object does not match the namespace sent on the request",
    ],
    [[1, 2], "the request body must be a JSON object"],
  ])("refuses a bad body %#", (input, message) => {
    expect(admitCreate(deployments, input, { namespace: "default" }, ctx)).toMatchObject({
      ok: false,
      status: { code: 400, reason: "BadRequest", message },
    });
  });

  it("answers Invalid for objects that fail validation", () => {
    const bad = body("Bad_Name");
    const r = admitCreate(deployments, bad, { namespace: "default" }, ctx);
    expect(r).toMatchObject({ ok: false, status: { code: 422, reason: "Invalid" } });
    if (!r.ok)
      expect(r.status.message).toMatch(
        /^Deployment.apps "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/,
      );
  });

  it("drops the namespace of cluster-scoped objects", () => {
    const r = admitCreate(
      nodes,
      { metadata: { name: "n1", namespace: "x" } },
      { namespace: "" },
      ctx,
    );
    expect(r.ok && r.object.metadata).not.toHaveProperty("namespace");
  });
});

describe("admitUpdate", () => {
  it("bumps generation and keeps server fields", () => {
    const current = created();
    const next = structuredClone(current);
    (next.spec as { replicas: number }).replicas = 5;
    next.metadata!.uid = undefined;
    const r = admitUpdate(deployments, next, current, { namespace: "default", name: "web" }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.metadata).toMatchObject({
      generation: 2,
      uid: current.metadata?.uid,
      resourceVersion: "10",
    });
  });

  it("refuses a stale resourceVersion", () => {
    const current = created();
    const stale = {
      ...structuredClone(current),
      metadata: { ...current.metadata, resourceVersion: "9" },
    };
    expect(
      admitUpdate(deployments, stale, current, { namespace: "default", name: "web" }, ctx),
    ).toMatchObject({
      ok: false,
      status: {
        code: 409,
        reason: "Conflict",
        message:
          'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      },
    });
  });

  it("refuses a name that differs from the URL", () => {
    const current = created();
    expect(
      admitUpdate(deployments, body("other"), current, { namespace: "default", name: "web" }, ctx),
    ).toMatchObject({
      ok: false,
      status: {
        code: 400,
        message: "the name of the object (other) does not match the name on the URL (web)",
      },
    });
  });

  it("writes only status through the status subresource", () => {
    const current = created();
    const next = {
      ...structuredClone(current),
      spec: { replicas: 99 },
      status: { replicas: 1, readyReplicas: 1 },
    };
    const r = admitUpdate(
      deployments,
      next,
      current,
      { namespace: "default", name: "web", subresource: "status" },
      { ...ctx, manager: "kube-controller-manager" },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.spec).toEqual(current.spec);
    expect(r.object.status).toEqual({ replicas: 1, readyReplicas: 1 });
    expect(r.object.metadata?.managedFields?.at(-1)).toMatchObject({
      manager: "kube-controller-manager",
      subresource: "status",
    });
  });

  it("says to delete an object once its last finalizer is removed", () => {
    const pod = admitCreate(
      pods,
      {
        metadata: { name: "p", finalizers: ["example.com/hold"] },
        spec: { containers: [{ name: "c", image: "x" }] },
      },
      { namespace: "d" },
      ctx,
    );
    if (!pod.ok) throw new Error(pod.status.message);
    const terminating = {
      ...pod.object,
      metadata: {
        ...pod.object.metadata,
        deletionTimestamp: "2026-03-01T00:00:00Z",
        deletionGracePeriodSeconds: 0,
      },
    };
    const released = {
      ...structuredClone(terminating),
      metadata: { ...terminating.metadata, finalizers: [] },
    };
    const r = admitUpdate(pods, released, terminating, { namespace: "d", name: "p" }, ctx);
    expect(r).toMatchObject({ ok: true, deleteNow: true });
  });
});

describe("admitPatch", () => {
  it("patches then validates like an update", () => {
    const current = created();
    const r = admitPatch(
      deployments,
      "application/strategic-merge-patch+json",
      JSON.stringify({
        spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.28" }] } } },
      }),
      current,
      { namespace: "default", name: "web" },
      { ...ctx, manager: "kubectl-set" },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.metadata?.generation).toBe(2);
    const entry = r.object.metadata?.managedFields?.find((e) => e.manager === "kubectl-set");
    expect(JSON.stringify(entry?.fieldsV1)).toContain('"f:image"');
  });

  it("turns a patch that breaks the object into Invalid", () => {
    const current = created();
    const r = admitPatch(
      deployments,
      "application/merge-patch+json",
      JSON.stringify({ spec: { replicas: -1 } }),
      current,
      { namespace: "default", name: "web" },
      ctx,
    );
    expect(r).toMatchObject({
      ok: false,
      status: {
        code: 422,
        message:
          'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      },
    });
  });

  it("conflicts on a patch carrying a stale resourceVersion", () => {
    const current = created();
    const r = admitPatch(
      deployments,
      "application/merge-patch+json",
      JSON.stringify({ metadata: { resourceVersion: "3" } }),
      current,
      { namespace: "default", name: "web" },
      ctx,
    );
    expect(r).toMatchObject({ ok: false, status: { code: 409, reason: "Conflict" } });
  });
});

describe("initial status", () => {
  const create = (resource: string, obj: Record<string, unknown>, namespace = "d") => {
    const def = index.byResource("", "v1", resource)!;
    const r = admitCreate(def, obj, { namespace }, ctx);
    if (!r.ok) throw new Error(r.status.message);
    return r.object;
  };
  const container = (resources?: Record<string, unknown>) => ({
    name: "c",
    image: "x",
    ...(resources ? { resources } : {}),
  });

  it.each([
    ["BestEffort", [container()]],
    ["Burstable", [container({ requests: { cpu: "100m" } })]],
    ["Guaranteed", [container({ limits: { cpu: "1", memory: "1Gi" } })]],
    [
      "Guaranteed",
      [container({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } })],
    ],
    ["Burstable", [container({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "500m" } })]],
    [
      "Burstable",
      [container({ limits: { cpu: "1", memory: "1Gi" } }), container()].map((c, i) => ({
        ...c,
        name: `c${i}`,
      })),
    ],
  ])("a new pod is Pending and %s", (qosClass, containers) => {
    const pod = create("pods", {
      metadata: { name: "p" },
      spec: { containers },
      status: { phase: "Running" },
    });
    expect(pod.status).toEqual({ phase: "Pending", qosClass });
  });

  it("a new namespace is Active with the kubernetes finalizer", () => {
    const ns = create("namespaces", { metadata: { name: "team" } }, "");
    expect(ns).toMatchObject({ status: { phase: "Active" }, spec: { finalizers: ["kubernetes"] } });
  });
});
