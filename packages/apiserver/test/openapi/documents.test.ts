import { describe, expect, it } from "vitest";
import { indexWithCrds } from "../../src/crd/crd-resources.js";
import type { Crd } from "../../src/crd/crd-types.js";
import { BUILTIN_TYPES } from "../../src/openapi/builtin-types.js";
import { buildOpenApiDocuments } from "../../src/openapi/documents.js";
import {
  fieldValidationOutcome,
  parseFieldValidation,
  unknownFields,
} from "../../src/openapi/field-validation.js";
import { parseFieldType } from "../../src/openapi/type-description.js";
import { BUILTIN_RESOURCES } from "../../src/registry/catalogue.js";
import { createResourceIndex } from "../../src/registry/resource-index.js";
import { WIDGET_CRD } from "../crd/fixtures.js";
import type { Json } from "../server/https-client.js";

const docs = buildOpenApiDocuments(createResourceIndex());
const v3 = (key: string): Json => JSON.parse(docs.v3.get(key)!.body);
const schemaOf = (doc: Json, name: string) => doc.components.schemas[name];

/** Every $ref in a document, to check each one resolves. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  return out;
}

describe("OpenAPI documents", () => {
  it("indexes one v3 document per served group/version, by hash", () => {
    const keys = Object.keys(docs.v3Index.paths);
    expect(keys).toContain("api/v1");
    expect(keys).toContain("apis/apps/v1");
    expect(keys).toContain("apis/apiextensions.k8s.io/v1");
    const entry = docs.v3Index.paths["apis/apps/v1"]!;
    expect(entry.serverRelativeURL).toBe(
      `/openapi/v3/apis/apps/v1?hash=${docs.v3.get("apis/apps/v1")!.hash}`,
    );
    expect(docs.v3.get("apis/apps/v1")!.hash).toMatch(/^[0-9A-F]{128}$/);
  });

  it("describes kinds with their GVK and patch markers", () => {
    const core = v3("api/v1");
    const pod = schemaOf(core, "io.k8s.api.core.v1.Pod");
    expect(pod["x-kubernetes-group-version-kind"]).toEqual([
      { group: "", version: "v1", kind: "Pod" },
    ]);
    expect(pod.properties.spec).toEqual({
      allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" }],
      description: "What the pod should run.",
    });
    const containers = schemaOf(core, "io.k8s.api.core.v1.PodSpec").properties.containers;
    expect(containers).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
      "x-kubernetes-patch-strategy": "merge",
      "x-kubernetes-patch-merge-key": "name",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
    });
    expect(schemaOf(core, "io.k8s.api.core.v1.PodSpec").required).toEqual(["containers"]);
    const ports = schemaOf(core, "io.k8s.api.core.v1.Container").properties.ports;
    expect(ports["x-kubernetes-list-map-keys"]).toEqual(["containerPort", "protocol"]);
    const apps = v3("apis/apps/v1");
    const strategy = schemaOf(apps, "io.k8s.api.apps.v1.DeploymentSpec").properties.strategy;
    expect(strategy["x-kubernetes-patch-strategy"]).toBe("retainKeys");
    // Types of other packages come along: the pod template, ObjectMeta, IntOrString.
    expect(schemaOf(apps, "io.k8s.api.core.v1.PodSpec")).toBeDefined();
    expect(schemaOf(apps, "io.k8s.apimachinery.pkg.util.intstr.IntOrString")).toMatchObject({
      type: "string",
      format: "int-or-string",
    });
  });

  it("gives every kind a PATCH operation with fieldValidation and strategic merge patch", () => {
    const apps = v3("apis/apps/v1");
    const patch = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "apps",
      version: "v1",
      kind: "Deployment",
    });
    expect(patch.parameters.map((p: Json) => p.name)).toContain("fieldValidation");
    expect(Object.keys(patch.requestBody.content)).toContain(
      "application/strategic-merge-patch+json",
    );
    const nodes = v3("api/v1").paths["/api/v1/nodes/{name}"];
    expect(nodes.patch["x-kubernetes-group-version-kind"].kind).toBe("Node");
  });

  it("resolves every reference, in v3 and v2", () => {
    for (const [key, doc] of docs.v3) {
      const parsed = JSON.parse(doc.body);
      for (const ref of refs(parsed)) {
        const name = ref.replace("#/components/schemas/", "");
        expect(parsed.components.schemas[name], `${key}: ${ref}`).toBeDefined();
      }
    }
    const v2 = JSON.parse(docs.v2);
    expect(v2.swagger).toBe("2.0");
    for (const ref of refs(v2))
      expect(v2.definitions[ref.replace("#/definitions/", "")]).toBeDefined();
    expect(v2.definitions["io.k8s.api.apps.v1.DeploymentSpec"].properties.template).toEqual({
      $ref: "#/definitions/io.k8s.api.core.v1.PodTemplateSpec",
      description: "The pods it creates.",
    });
  });

  it("describes every type a field refers to", () => {
    for (const [short, desc] of Object.entries(BUILTIN_TYPES)) {
      for (const [type] of Object.values(desc.fields)) {
        let t = parseFieldType(type, short);
        while (t.kind === "list" || t.kind === "map") t = t.of;
        if (t.kind === "ref") expect(BUILTIN_TYPES[t.name], `${short}: ${type}`).toBeDefined();
      }
    }
  });

  it("merges CRD schemas in, without strategic merge patch", () => {
    const index = indexWithCrds(BUILTIN_RESOURCES, [WIDGET_CRD as unknown as Crd]);
    const withCrd = buildOpenApiDocuments(index);
    const doc = JSON.parse(withCrd.v3.get("apis/example.com/v1")!.body);
    const widget = doc.components.schemas["com.example.v1.Widget"];
    expect(widget["x-kubernetes-group-version-kind"]).toEqual([
      { group: "example.com", version: "v1", kind: "Widget" },
    ]);
    expect(widget.properties.spec.properties.replicas).toMatchObject({
      type: "integer",
      maximum: 10,
    });
    expect(widget.properties.metadata.allOf[0].$ref).toBe(
      "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    );
    const patch = doc.paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"].patch;
    expect(Object.keys(patch.requestBody.content)).not.toContain(
      "application/strategic-merge-patch+json",
    );
    expect(JSON.parse(withCrd.v2).definitions["com.example.v1.Widget"]).toBeDefined();
  });
});

describe("field validation of built-in kinds", () => {
  const deployment = { group: "apps", version: "v1", kind: "Deployment" };
  it("finds fields the type descriptions do not know, at any depth", () => {
    const obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", labelz: {} },
      spec: {
        foo: 1,
        selector: { matchLabels: { a: "b" } },
        template: {
          metadata: { labels: { a: "b" } },
          spec: {
            containers: [{ name: "c", image: "i", bar: true, ports: [{ containerPort: 1 }] }],
          },
        },
      },
      status: { anything: "goes" },
    };
    expect(unknownFields(deployment, obj).sort()).toEqual([
      "metadata.labelz",
      "spec.foo",
      "spec.template.spec.containers[0].bar",
    ]);
  });

  it("accepts anything in kinds and fields described in part", () => {
    expect(
      unknownFields({ group: "policy", version: "v1", kind: "Eviction" }, { spec: { x: 1 } }),
    ).toEqual([]);
    const pod = { spec: { containers: [{ name: "c", securityContext: { newThing: 1 } }] } };
    expect(unknownFields({ group: "", version: "v1", kind: "Pod" }, pod)).toEqual([]);
  });

  it("reads the fieldValidation parameter and words the outcome as upstream", () => {
    expect(parseFieldValidation(new URLSearchParams(""))).toEqual({ ok: true, mode: "Warn" });
    expect(parseFieldValidation(new URLSearchParams("fieldValidation=Strict"))).toEqual({
      ok: true,
      mode: "Strict",
    });
    const bad = parseFieldValidation(new URLSearchParams("fieldValidation=strict"));
    expect(bad.ok).toBe(false);
    const strict = fieldValidationOutcome("Strict", ["spec.foo", "spec.bar"]);
    expect(strict.status?.message).toBe(
      'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
    expect(fieldValidationOutcome("Warn", ["spec.foo"]).warnings).toEqual([
      'unknown field "spec.foo"',
    ]);
    expect(fieldValidationOutcome("Ignore", ["spec.foo"])).toEqual({ warnings: [] });
  });
});
