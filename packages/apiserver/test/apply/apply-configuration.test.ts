import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyConfiguration } from "../../src/apply/apply-configuration.js";
import { memberToString } from "../../src/apply/member-path.js";
import { fieldSetOf, fromFieldsV1 } from "../../src/meta/field-set.js";
import { recordUpdate } from "../../src/meta/managed-fields.js";
import type { KubeObject } from "../../src/types/object.js";

const now = new Date("2026-01-01T00:00:00Z");
const op = (manager: string, force = false) => ({ manager, force, apiVersion: "apps/v1", now });

const deployment = (
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", ...(labels ? { labels } : {}) },
  spec,
});
const podSpec = (containers: unknown[]) => ({
  selector: { matchLabels: { app: "web" } },
  template: { metadata: { labels: { app: "web" } }, spec: { containers } },
});

function applied(
  live: KubeObject | undefined,
  config: KubeObject,
  manager = "kubectl",
  force = false,
) {
  const result = applyConfiguration(live, config, op(manager, force));
  if (!result.ok) throw new Error(result.status.message);
  return result.object;
}

const owners = (obj: KubeObject) =>
  Object.fromEntries(
    (obj.metadata?.managedFields ?? []).map((e) => [
      `${e.manager}/${e.operation}`,
      [...fromFieldsV1(e.fieldsV1)].map(memberToString).filter((p, i, all) => all.indexOf(p) === i),
    ]),
  );

describe("server-side apply", () => {
  it("owns exactly what the configuration sets, in FieldsV1", () => {
    const obj = applied(
      undefined,
      deployment({ replicas: 2, ...podSpec([{ name: "web", image: "nginx:1" }]) }, { app: "web" }),
    );
    const [entry] = obj.metadata!.managedFields!;
    expect(entry).toMatchObject({ manager: "kubectl", operation: "Apply", apiVersion: "apps/v1" });
    expect(entry!.fieldsV1).toEqual({
      "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:selector": { "f:matchLabels": { ".": {}, "f:app": {} } },
        "f:template": {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } },
          },
        },
      },
    });
  });

  it("merges keyed lists by key and removes what the applier stopped setting", () => {
    const first = applied(
      undefined,
      deployment(
        {
          replicas: 2,
          ...podSpec([
            { name: "web", image: "nginx:1" },
            { name: "log", image: "busybox" },
          ]),
        },
        {
          app: "web",
          tier: "front",
        },
      ),
    );
    const second = applied(
      first,
      deployment(
        { ...podSpec([{ name: "web", image: "nginx:2", ports: [{ containerPort: 80 }] }]) },
        { app: "web" },
      ),
    );
    expect(second.metadata?.labels).toEqual({ app: "web" });
    expect((second.spec as { replicas?: number }).replicas).toBeUndefined();
    const containers = (second.spec as { template: { spec: { containers: unknown[] } } }).template
      .spec.containers;
    expect(containers).toEqual([{ name: "web", image: "nginx:2", ports: [{ containerPort: 80 }] }]);
    expect(owners(second)["kubectl/Apply"]).toContain(
      '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
    );
  });

  it("conflicts with another manager's different value, in upstream's words", () => {
    const created = deployment({ replicas: 2, ...podSpec([{ name: "web", image: "nginx:1" }]) });
    created.metadata!.managedFields = recordUpdate(undefined, created, {
      manager: "kubectl-client-side-apply",
      apiVersion: "apps/v1",
      now,
    });
    const result = applyConfiguration(created, deployment({ replicas: 3 }), op("other"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toMatchObject({
      code: 409,
      reason: "Conflict",
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: "FieldManagerConflict",
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: ".spec.replicas",
          },
        ],
      },
    });
    const two = applyConfiguration(
      created,
      deployment({ replicas: 3, ...podSpec([{ name: "web", image: "nginx:2" }]) }),
      op("other"),
    );
    expect(!two.ok && two.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );

    // The same value is shared, not a conflict; force takes the field over.
    const shared = applied(created, deployment({ replicas: 2 }), "other");
    expect(owners(shared)["kubectl-client-side-apply/Update"]).toContain(".spec.replicas");
    expect(owners(shared)["other/Apply"]).toEqual([".spec.replicas"]);
    const forced = applied(created, deployment({ replicas: 3 }), "other", true);
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    expect(owners(forced)["kubectl-client-side-apply/Update"]).not.toContain(".spec.replicas");
    expect(owners(forced)["other/Apply"]).toEqual([".spec.replicas"]);
  });

  it("keeps a field another manager owns when the applier drops it", () => {
    const a = applied(undefined, deployment({ replicas: 2 }, { app: "web" }), "a");
    const b = applied(a, deployment({}, { app: "web", extra: "x" }), "b");
    const dropped = applied(b, deployment({}), "a");
    expect(dropped.metadata?.labels).toEqual({ app: "web", extra: "x" });
    expect((dropped.spec as { replicas?: number }).replicas).toBeUndefined();
  });

  it("re-applying the same configuration changes nothing but the time", () => {
    const labels = fc.dictionary(
      fc.stringMatching(/^[a-z]{1,5}$/),
      fc.stringMatching(/^[a-z0-9]{0,5}$/),
    );
    fc.assert(
      fc.property(labels, labels, fc.integer({ min: 0, max: 5 }), (first, second, replicas) => {
        const one = applied(undefined, deployment({ replicas }, first));
        expect(applied(one, deployment({ replicas }, first))).toEqual(one);
        // With one manager, applying B after A leaves exactly B.
        const two = applied(one, deployment({ replicas }, second));
        expect(two.metadata?.labels ?? {}).toEqual(second);
        expect([...fromFieldsV1(two.metadata!.managedFields![0]!.fieldsV1)].sort()).toEqual(
          [...fieldSetOf(deployment({ replicas }, second), "Deployment").keys()].sort(),
        );
      }),
    );
  });
});

describe("server-side apply properties", () => {
  const labels = fc.dictionary(
    fc.stringMatching(/^[a-z]{1,4}$/),
    fc.stringMatching(/^[a-z0-9]{1,4}$/),
    {
      maxKeys: 5,
    },
  );
  const cm = (data: Record<string, string>): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c" },
    data,
  });

  it("every applied value is in the result, and two managers with disjoint keys keep both", () => {
    fc.assert(
      fc.property(labels, labels, labels, (a, b, a2) => {
        const bOnly = Object.fromEntries(
          Object.entries(b).filter(([k]) => !(k in a) && !(k in a2)),
        );
        const one = applied(undefined, cm(a), "a");
        const two = applied(one, cm(bOnly), "b");
        const three = applied(
          two,
          cm(Object.fromEntries(Object.entries(a2).filter(([k]) => !(k in bOnly)))),
          "a",
        );
        const data = (three as { data?: Record<string, string> }).data ?? {};
        for (const [k, v] of Object.entries(bOnly)) expect(data[k]).toBe(v);
        for (const [k, v] of Object.entries(a2)) if (!(k in bOnly)) expect(data[k]).toBe(v);
        // Keys only a applied before, and no longer, are gone.
        for (const k of Object.keys(a))
          if (!(k in a2) && !(k in bOnly)) expect(data).not.toHaveProperty(k);
      }),
    );
  });

  it("a conflict is reported exactly when another manager holds a different value", () => {
    fc.assert(
      fc.property(labels, labels, (a, b) => {
        const one = applied(undefined, cm(a), "a");
        const result = applyConfiguration(one, cm(b), op("b"));
        const clashes = Object.keys(b).filter((k) => k in a && a[k] !== b[k]);
        expect(result.ok).toBe(clashes.length === 0);
        if (!result.ok)
          expect(result.status.details?.causes?.map((c) => c.field).sort()).toEqual(
            clashes.map((k) => `.data.${k}`).sort(),
          );
      }),
    );
  });
});

describe("field paths", () => {
  it("prints members as upstream's fieldpath does", () => {
    const m = (...s: string[]) => s.join("\u0000");
    expect(memberToString(m("f:spec", "f:replicas"))).toBe(".spec.replicas");
    expect(memberToString(m("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}', "."))).toBe(
      '.spec.ports[port=80,protocol="TCP"]',
    );
    expect(memberToString(m("f:metadata", "f:finalizers", 'v:"a"'))).toBe(
      '.metadata.finalizers[="a"]',
    );
  });
});
