import { describe, expect, it } from "vitest";
import {
  applyBinding,
  checkNamespaceLifecycle,
  type KubeObject,
  namespaceDeletion,
} from "../src/index.js";

const now = new Date("2026-02-01T10:00:00Z");
const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "d" },
  spec: { containers: [{ name: "c", image: "x" }] },
  status: {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
  },
};
const binding = (target: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Binding",
  metadata: { name: "web", ...(annotations ? { annotations } : {}) },
  target,
});

describe("pods/binding", () => {
  it("binds a pending pod to a node", () => {
    const r = applyBinding(
      pod,
      binding({ kind: "Node", name: "n1" }, { "scheduler.example/score": "9" }),
      now,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.spec).toMatchObject({ nodeName: "n1" });
    expect(r.object.metadata?.annotations).toEqual({ "scheduler.example/score": "9" });
    expect(r.object.status).toMatchObject({
      phase: "Pending",
      conditions: [
        {
          type: "PodScheduled",
          status: "True",
          lastProbeTime: null,
          lastTransitionTime: "2026-02-01T10:00:00Z",
        },
      ],
    });
  });

  it("refuses to bind twice or a pod being deleted", () => {
    const bound = { ...pod, spec: { ...(pod.spec as object), nodeName: "n1" } };
    expect(applyBinding(bound, binding({ name: "n2" }), now)).toMatchObject({
      ok: false,
      status: {
        code: 409,
        message:
          'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n1"',
      },
    });
    const deleting = {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: "2026-02-01T09:00:00Z" },
    };
    expect(applyBinding(deleting, binding({ name: "n2" }), now)).toMatchObject({
      ok: false,
      status: { code: 409 },
    });
  });

  it("checks the target", () => {
    expect(applyBinding(pod, binding({ kind: "Pod", name: "" }), now)).toMatchObject({
      ok: false,
      status: {
        code: 422,
        message:
          'Binding "web" is invalid: [target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]',
      },
    });
  });
});

describe("namespace lifecycle", () => {
  const active: KubeObject = {
    metadata: { name: "d" },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
  const create = { verb: "create", group: "", resource: "pods", name: "web", namespace: "d" };

  it("lets content be created in an active namespace", () => {
    expect(checkNamespaceLifecycle(create, active)).toBeUndefined();
    expect(checkNamespaceLifecycle({ ...create, verb: "update" }, undefined)).toBeUndefined();
  });

  it("refuses content in a missing or terminating namespace", () => {
    expect(checkNamespaceLifecycle(create, undefined)).toMatchObject({
      code: 404,
      message: 'namespaces "d" not found',
    });
    const terminating = { ...active, status: { phase: "Terminating" } };
    expect(checkNamespaceLifecycle(create, terminating)).toMatchObject({
      code: 403,
      reason: "Forbidden",
      message:
        'pods "web" is forbidden: unable to create new content in namespace d because it is being terminated',
    });
  });

  it("keeps the immortal namespaces", () => {
    expect(
      checkNamespaceLifecycle(
        { verb: "delete", group: "", resource: "namespaces", name: "kube-system", namespace: "" },
        undefined,
      ),
    ).toMatchObject({
      code: 403,
      message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    });
    expect(
      checkNamespaceLifecycle(
        { verb: "delete", group: "", resource: "namespaces", name: "team", namespace: "" },
        undefined,
      ),
    ).toBeUndefined();
  });

  it("turns a namespace Terminating until its finalizers are done", () => {
    expect(namespaceDeletion(active, now)).toMatchObject({
      action: "update",
      object: {
        metadata: { deletionTimestamp: "2026-02-01T10:00:00Z" },
        status: { phase: "Terminating" },
      },
    });
    expect(namespaceDeletion({ ...active, spec: { finalizers: [] } }, now)).toEqual({
      action: "delete",
    });
  });
});
