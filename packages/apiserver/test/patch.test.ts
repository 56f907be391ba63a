import { describe, expect, it } from "vitest";
import {
  applyMergePatch,
  applyPatch,
  applyStrategicMergePatch,
  type KubeObject,
  listSchemaAt,
} from "../src/index.js";

const JSON_PATCH = "application/json-patch+json";
const MERGE = "application/merge-patch+json";
const SMP = "application/strategic-merge-patch+json";

const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", labels: { app: "web", tier: "fe" }, finalizers: ["a"] },
  spec: {
    containers: [
      {
        name: "web",
        image: "nginx:1",
        ports: [{ containerPort: 80, protocol: "TCP" }],
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
        args: ["x", "y"],
      },
      { name: "sidecar", image: "busybox" },
    ],
    volumes: [{ name: "data", emptyDir: {} }],
  },
};

describe("applyMergePatch (RFC 7386)", () => {
  // Cases from the RFC's appendix.
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j + %j", (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe("applyStrategicMergePatch", () => {
  it("merges containers by name and keeps the others", () => {
    const out = applyStrategicMergePatch(
      pod,
      { spec: { containers: [{ name: "web", image: "nginx:2" }] } },
      "Pod",
    );
    const containers = (out.spec as { containers: Record<string, unknown>[] }).containers;
    expect(containers.map((c) => c.name)).toEqual(["web", "sidecar"]);
    expect(containers[0]).toMatchObject({ image: "nginx:2", ports: [{ containerPort: 80 }] });
  });

  it("appends new list items and replaces lists without a merge key", () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          containers: [
            { name: "web", env: [{ name: "C", value: "3" }], args: ["z"] },
            { name: "new", image: "x" },
          ],
        },
      },
      "Pod",
    );
    const containers = (out.spec as { containers: Record<string, unknown>[] }).containers;
    expect(containers.map((c) => c.name)).toEqual(["web", "sidecar", "new"]);
    expect(containers[0]!.env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
      { name: "C", value: "3" },
    ]);
    expect(containers[0]!.args).toEqual(["z"]);
  });

  it("deletes items with $patch: delete and map keys with null", () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        metadata: { labels: { tier: null } },
        spec: { containers: [{ name: "sidecar", $patch: "delete" }] },
      },
      "Pod",
    );
    expect(out.metadata).toMatchObject({ labels: { app: "web" } });
    expect((out.spec as { containers: unknown[] }).containers).toHaveLength(1);
  });

  it("replaces a list or map with $patch: replace", () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        metadata: { labels: { only: "this", $patch: "replace" } },
        spec: { volumes: [{ name: "v2", emptyDir: {} }, { $patch: "replace" }] },
      },
      "Pod",
    );
    expect(out.metadata).toMatchObject({ labels: { only: "this" } });
    expect((out.spec as { volumes: unknown[] }).volumes).toEqual([{ name: "v2", emptyDir: {} }]);
  });

  it("merges and deletes from primitive sets", () => {
    const added = applyStrategicMergePatch(pod, { metadata: { finalizers: ["b", "a"] } }, "Pod");
    expect(added.metadata).toMatchObject({ finalizers: ["a", "b"] });
    const removed = applyStrategicMergePatch(
      pod,
      { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
      "Pod",
    );
    expect((removed.metadata as { finalizers?: string[] }).finalizers).toEqual([]);
  });

  it("honours $retainKeys", () => {
    const deployment = {
      kind: "Deployment",
      spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } },
    };
    const out = applyStrategicMergePatch(
      deployment,
      { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
      "Deployment",
    );
    expect(out.spec).toEqual({ strategy: { type: "Recreate" } });
    // What kubectl apply sends when a manifest switches to Recreate.
    const fromKubectl = applyStrategicMergePatch(
      deployment,
      { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" } } },
      "Deployment",
    );
    expect(fromKubectl.spec).toEqual({ strategy: { type: "Recreate" } });
    expect(() =>
      applyStrategicMergePatch(
        deployment,
        { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: {} } } },
        "Deployment",
      ),
    ).toThrow(/not in \$retainKeys/);
  });

  it("orders items by $setElementOrder", () => {
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          "$setElementOrder/containers": [{ name: "sidecar" }, { name: "web" }],
          containers: [{ name: "web", image: "nginx:3" }],
        },
      },
      "Pod",
    );
    expect((out.spec as { containers: { name: string }[] }).containers.map((c) => c.name)).toEqual([
      "sidecar",
      "web",
    ]);
  });

  it("merges service ports by port", () => {
    const svc = {
      kind: "Service",
      spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] },
    };
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      "Service",
    );
    expect(out.spec).toEqual({ ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] });
  });

  it("knows the merge keys of built-in lists", () => {
    expect(listSchemaAt("Pod", ["spec", "containers"])).toMatchObject({ mergeKey: "name" });
    expect(
      listSchemaAt("Deployment", ["spec", "template", "spec", "containers", "ports"]),
    ).toMatchObject({ mergeKey: "containerPort" });
    expect(listSchemaAt("Pod", ["spec", "containers", "volumeMounts"])).toMatchObject({
      mergeKey: "mountPath",
    });
    expect(listSchemaAt("Pod", ["status", "conditions"])).toMatchObject({ mergeKey: "type" });
    expect(listSchemaAt("Endpoints", ["subsets", "ports"])).toEqual({ type: "atomic" });
    expect(listSchemaAt("Pod", ["spec", "containers", "args"])).toEqual({ type: "atomic" });
  });
});

describe("applyPatch", () => {
  it("applies a JSON patch", () => {
    const r = applyPatch(
      JSON_PATCH,
      pod,
      JSON.stringify([
        { op: "replace", path: "/spec/containers/0/image", value: "nginx:9" },
        { op: "add", path: "/metadata/labels/new", value: "yes" },
        { op: "remove", path: "/metadata/finalizers" },
      ]),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.metadata).toMatchObject({ labels: { new: "yes" } });
    expect(r.object.metadata).not.toHaveProperty("finalizers");
    expect((pod.spec as { containers: { image: string }[] }).containers[0]!.image).toBe("nginx:1");
  });

  it("answers 422 when a JSON patch does not fit", () => {
    const failedTest = applyPatch(
      JSON_PATCH,
      pod,
      JSON.stringify([{ op: "test", path: "/metadata/name", value: "other" }]),
    );
    expect(failedTest).toMatchObject({ ok: false, status: { code: 422, reason: "Invalid" } });
    const missing = applyPatch(
      JSON_PATCH,
      pod,
      JSON.stringify([{ op: "remove", path: "/nope/deeper" }]),
    );
    expect(missing).toMatchObject({ ok: false, status: { code: 422 } });
  });

  it("answers 400 for malformed patches", () => {
    expect(applyPatch(JSON_PATCH, pod, "{not json")).toMatchObject({
      ok: false,
      status: { code: 400, reason: "BadRequest" },
    });
    expect(applyPatch(JSON_PATCH, pod, "{}")).toMatchObject({ ok: false, status: { code: 400 } });
    expect(applyPatch(JSON_PATCH, pod, JSON.stringify([{ op: "jump", path: "/a" }]))).toMatchObject(
      { ok: false, status: { code: 400 } },
    );
    expect(applyPatch(MERGE, pod, "[1]")).toMatchObject({ ok: false, status: { code: 400 } });
    expect(
      applyPatch(SMP, pod, JSON.stringify({ spec: { containers: [{ image: "no-name" }] } })),
    ).toMatchObject({
      ok: false,
      status: {
        code: 400,
        message: expect.stringContaining("does not contain declared merge key: name"),
      },
    });
    expect(applyPatch(SMP, pod, JSON.stringify({ $patch: "explode" }))).toMatchObject({
      ok: false,
      status: { code: 400, message: "Unknown patch type: explode" },
    });
  });

  it("answers 415 for patch types it does not take", () => {
    expect(applyPatch("application/apply-patch+yaml", pod, "a: b")).toMatchObject({
      ok: false,
      status: { code: 415, reason: "UnsupportedMediaType" },
    });
  });

  it("applies merge and strategic patches by Content-Type", () => {
    const merge = applyPatch(
      `${MERGE}; charset=utf-8`,
      pod,
      JSON.stringify({ spec: { containers: [{ name: "only" }] } }),
    );
    expect(merge.ok && (merge.object.spec as { containers: unknown[] }).containers).toEqual([
      { name: "only" },
    ]);
    const smp = applyPatch(SMP, pod, JSON.stringify({ spec: { containers: [{ name: "only" }] } }));
    expect(smp.ok && (smp.object.spec as { containers: unknown[] }).containers).toHaveLength(3);
  });
});

describe("hostile keys", () => {
  it("keeps __proto__ as plain data in merge and strategic patches", () => {
    for (const type of [MERGE, SMP]) {
      const r = applyPatch(
        type,
        pod,
        '{"__proto__":{"polluted":true},"metadata":{"__proto__":{"x":1}}}',
      );
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(Object.getPrototypeOf(r.object)).toBe(Object.prototype);
      expect((r.object as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.hasOwn(r.object, "__proto__")).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe("upstream's 422 for patches that do not fit", () => {
  it("says only that the request was rejected", () => {
    const r = applyPatch(
      JSON_PATCH,
      pod,
      JSON.stringify([{ op: "test", path: "/metadata/name", value: "other" }]),
    );
    expect(r).toEqual({
      ok: false,
      status: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "the server rejected our request due to an error in our request",
        reason: "Invalid",
        code: 422,
      },
    });
  });
});
