import { describe, expect, it } from "vitest";
import {
  createResourceIndex,
  decideDeletion,
  fieldSetOf,
  fromFieldsV1,
  generateName,
  type KubeObject,
  managerFromUserAgent,
  NAME_SUFFIX_ALPHABET,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
  recordUpdate,
  shouldDeleteAfterUpdate,
  toFieldsV1,
} from "../src/index.js";

const index = createResourceIndex();
const def = (group: string, resource: string) => index.byResource(group, "v1", resource)!;
const now = new Date("2026-01-02T03:04:05.678Z");

// A seeded random source, so the generated names are fixed.
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const ctx = { now: () => now, newUid: () => "uid-1", random: seeded(42) };

describe("generateName", () => {
  it("appends five characters from the alphabet", () => {
    const name = generateName("web-", seeded(1));
    expect(name).toMatch(new RegExp(`^web-[${NAME_SUFFIX_ALPHABET}]{5}$`));
    expect(generateName("web-", seeded(1))).toBe(name);
    expect(generateName("web-", seeded(2))).not.toBe(name);
  });
  it("uses the ends of the alphabet", () => {
    expect(generateName("", () => 0)).toBe("bbbbb");
    expect(generateName("", () => 0.999999)).toBe("99999");
  });
  it("cuts long prefixes so the name fits", () => {
    expect(generateName("a".repeat(300), () => 0)).toHaveLength(253);
  });
});

describe("prepareForCreate", () => {
  it("fills in server-owned metadata", () => {
    const out = prepareForCreate(
      def("apps", "deployments"),
      {
        metadata: {
          generateName: "web-",
          namespace: "d",
          resourceVersion: "9",
          deletionTimestamp: "x",
          generation: 7,
        },
        spec: {},
        status: { replicas: 3 },
      },
      ctx,
    );
    expect(out.metadata).toMatchObject({
      uid: "uid-1",
      creationTimestamp: "2026-01-02T03:04:05Z",
      generation: 1,
      namespace: "d",
    });
    expect(out.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(out.metadata).not.toHaveProperty("resourceVersion");
    expect(out.metadata).not.toHaveProperty("deletionTimestamp");
    expect(out).not.toHaveProperty("status");
  });
  it("keeps a given name, and no generation where none is tracked", () => {
    const out = prepareForCreate(
      def("", "configmaps"),
      { metadata: { name: "c", generateName: "x-", generation: 3 } },
      ctx,
    );
    expect(out.metadata?.name).toBe("c");
    expect(out.metadata).not.toHaveProperty("generation");
  });
});

describe("prepareForUpdate", () => {
  const deployments = def("apps", "deployments");
  const old: KubeObject = {
    metadata: { name: "x", uid: "u", creationTimestamp: "2026-01-01T00:00:00Z", generation: 4 },
    spec: { replicas: 1 },
    status: { replicas: 1 },
  };
  it("bumps generation on spec changes only", () => {
    const scaled = prepareForUpdate(
      deployments,
      { metadata: { name: "x" }, spec: { replicas: 2 } },
      old,
    );
    expect(scaled.metadata).toMatchObject({
      uid: "u",
      creationTimestamp: "2026-01-01T00:00:00Z",
      generation: 5,
    });
    const labelled = prepareForUpdate(
      deployments,
      { metadata: { name: "x", labels: { a: "b" } }, spec: { replicas: 1 } },
      old,
    );
    expect(labelled.metadata?.generation).toBe(4);
  });
  it("keeps the stored status on a main-resource update", () => {
    const out = prepareForUpdate(
      deployments,
      { metadata: { name: "x" }, spec: { replicas: 1 }, status: { replicas: 9 } },
      old,
    );
    expect(out.status).toEqual({ replicas: 1 });
  });
  it("takes only status (and labels) from a status update", () => {
    const out = prepareForStatusUpdate(
      {
        metadata: { name: "x", labels: { a: "b" } },
        spec: { replicas: 9 },
        status: { replicas: 3 },
      },
      old,
    );
    expect(out).toMatchObject({
      spec: { replicas: 1 },
      status: { replicas: 3 },
      metadata: { generation: 4, labels: { a: "b" } },
    });
  });
});

describe("decideDeletion", () => {
  const scheduledPod: KubeObject = {
    metadata: { name: "p" },
    spec: { nodeName: "n1", terminationGracePeriodSeconds: 20 },
    status: { phase: "Running" },
  };

  it("deletes objects without finalizers at once", () => {
    expect(decideDeletion({ metadata: { name: "c" } }, {}, now, false)).toEqual({
      action: "delete",
    });
  });

  it("gives a running pod its grace period", () => {
    const d = decideDeletion(scheduledPod, {}, now, true);
    expect(d.action).toBe("update");
    if (d.action === "update") {
      expect(d.object.metadata).toMatchObject({
        deletionTimestamp: "2026-01-02T03:04:25Z",
        deletionGracePeriodSeconds: 20,
      });
    }
    expect(decideDeletion(scheduledPod, { gracePeriodSeconds: 0 }, now, true)).toEqual({
      action: "delete",
    });
  });

  it("deletes unscheduled and finished pods at once", () => {
    expect(decideDeletion({ ...scheduledPod, spec: {} }, {}, now, true)).toEqual({
      action: "delete",
    });
    expect(
      decideDeletion({ ...scheduledPod, status: { phase: "Succeeded" } }, {}, now, true),
    ).toEqual({ action: "delete" });
  });

  it("waits for finalizers, including the one a propagation policy adds", () => {
    const withFinalizer = decideDeletion(
      { metadata: { name: "c", finalizers: ["example.com/x"] } },
      {},
      now,
      false,
    );
    expect(withFinalizer).toMatchObject({
      action: "update",
      object: {
        metadata: {
          deletionTimestamp: "2026-01-02T03:04:05Z",
          deletionGracePeriodSeconds: 0,
          finalizers: ["example.com/x"],
        },
      },
    });
    expect(
      decideDeletion({ metadata: { name: "d" } }, { propagationPolicy: "Foreground" }, now, false),
    ).toMatchObject({
      action: "update",
      object: { metadata: { finalizers: ["foregroundDeletion"] } },
    });
    expect(
      decideDeletion({ metadata: { name: "d" } }, { orphanDependents: true }, now, false),
    ).toMatchObject({
      object: { metadata: { finalizers: ["orphan"] } },
    });
  });

  it("only shortens the grace period of an object already being deleted", () => {
    const terminating: KubeObject = {
      ...scheduledPod,
      metadata: {
        name: "p",
        deletionTimestamp: "2026-01-02T03:04:25Z",
        deletionGracePeriodSeconds: 20,
      },
    };
    expect(decideDeletion(terminating, {}, now, true).action).toBe("unchanged");
    expect(decideDeletion(terminating, { gracePeriodSeconds: 5 }, now, true)).toMatchObject({
      action: "update",
      object: {
        metadata: { deletionGracePeriodSeconds: 5, deletionTimestamp: "2026-01-02T03:04:10Z" },
      },
    });
    expect(decideDeletion(terminating, { gracePeriodSeconds: 0 }, now, true)).toEqual({
      action: "delete",
    });
  });

  it("removes an object once its last finalizer is gone", () => {
    expect(shouldDeleteAfterUpdate({ metadata: { deletionTimestamp: "t", finalizers: [] } })).toBe(
      true,
    );
    expect(
      shouldDeleteAfterUpdate({ metadata: { deletionTimestamp: "t", finalizers: ["f"] } }),
    ).toBe(false);
    expect(shouldDeleteAfterUpdate({ metadata: {} })).toBe(false);
  });
});

describe("managedFields", () => {
  const op = { manager: "kubectl-edit", apiVersion: "apps/v1", now };
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "x", namespace: "d", uid: "u", labels: { app: "web" } },
    spec: {
      replicas: 1,
      template: {
        spec: {
          containers: [
            { name: "nginx", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }] },
          ],
        },
      },
    },
  };

  it("derives the manager from a User-Agent", () => {
    expect(managerFromUserAgent("kubectl/v1.32.0 (linux/amd64) kubernetes/abc")).toBe("kubectl");
    expect(managerFromUserAgent(undefined)).toBe("");
  });

  it("writes FieldsV1 with keyed list items", () => {
    const fields = toFieldsV1(fieldSetOf(deployment, "Deployment").keys());
    expect(fields).toEqual({
      "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:template": {
          "f:spec": {
            "f:containers": {
              'k:{"name":"nginx"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": {
                  'k:{"containerPort":80,"protocol":"TCP"}': {
                    ".": {},
                    "f:containerPort": {},
                    "f:protocol": {},
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(fromFieldsV1(fields)).toEqual(new Set(fieldSetOf(deployment, "Deployment").keys()));
  });

  it("gives the creator every field, and moves changed fields to the next writer", () => {
    const created = recordUpdate(undefined, deployment, { ...op, manager: "kubectl-create" });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      manager: "kubectl-create",
      operation: "Update",
      apiVersion: "apps/v1",
      time: "2026-01-02T03:04:05Z",
      fieldsType: "FieldsV1",
    });
    const stored: KubeObject = {
      ...deployment,
      metadata: { ...deployment.metadata, managedFields: created },
    };
    const scaled = structuredClone(stored);
    (scaled.spec as { replicas: number }).replicas = 3;
    const after = recordUpdate(stored, scaled, { ...op, manager: "kube-controller-manager" });
    expect(after.map((e) => e.manager)).toEqual(["kubectl-create", "kube-controller-manager"]);
    expect(after[1]!.fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
    expect(after[0]!.fieldsV1).not.toHaveProperty(["f:spec", "f:replicas"]);
    expect((after[0]!.fieldsV1["f:spec"] as Record<string, unknown>)["f:template"]).toBeDefined();
  });

  it("records nothing for a writer that changed nothing", () => {
    const created = recordUpdate(undefined, deployment, op);
    const stored = { ...deployment, metadata: { ...deployment.metadata, managedFields: created } };
    expect(recordUpdate(stored, structuredClone(stored), { ...op, manager: "other" })).toEqual(
      created,
    );
  });

  it("keeps status writes apart", () => {
    const withStatus = { ...deployment, status: { replicas: 1 } };
    const entries = recordUpdate(deployment, withStatus, {
      ...op,
      manager: "kube-controller-manager",
      subresource: "status",
    });
    expect(entries.at(-1)).toMatchObject({
      subresource: "status",
      fieldsV1: { "f:status": { "f:replicas": {} } },
    });
  });
});
