import { describe, expect, it } from "vitest";
import { defaultCrd } from "../../src/crd/crd-defaults.js";
import { indexWithCrds, resourcesOfCrd } from "../../src/crd/crd-resources.js";
import { desiredCrdStatus, withCleanupFinalizer } from "../../src/crd/crd-status.js";
import type { Crd } from "../../src/crd/crd-types.js";
import { validateCrd } from "../../src/crd/crd-validation.js";
import { evaluateJsonPath } from "../../src/crd/json-path.js";
import { customResourcePrinter } from "../../src/crd/printer-columns.js";
import { compareVersionPriority } from "../../src/crd/version-priority.js";
import { BUILTIN_RESOURCES } from "../../src/registry/catalogue.js";
import { fieldErrorString } from "../../src/validation/field-error.js";
import { WIDGET_CRD } from "./fixtures.js";

const crd = (): Crd => {
  const c = structuredClone(WIDGET_CRD) as unknown as Crd;
  defaultCrd(c);
  return c;
};
const errorsOf = (c: Crd) => validateCrd(c).map(fieldErrorString);

describe("CustomResourceDefinition validation", () => {
  it("accepts a good CRD after defaulting its names", () => {
    const c = crd();
    expect(c.spec.names.listKind).toBe("WidgetList");
    expect(c.spec.conversion).toEqual({ strategy: "None" });
    expect(errorsOf(c)).toEqual([]);
  });

  it("requires the name to be plural.group", () => {
    const c = crd();
    c.metadata = { name: "widget.example.com" };
    expect(errorsOf(c)).toEqual([
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    ]);
  });

  it("requires exactly one storage version, a served one, and a schema", () => {
    const c = crd();
    const v1 = c.spec.versions[0]!;
    c.spec.versions.push({ ...structuredClone(v1), name: "v2" });
    expect(errorsOf(c).join("\n")).toContain(
      "must have exactly one version marked as storage version",
    );
    const d = crd();
    d.spec.versions[0]!.served = false;
    expect(errorsOf(d).join("\n")).toContain("must have at least one version marked as served");
    const e = crd();
    delete e.spec.versions[0]!.schema;
    expect(errorsOf(e)).toEqual([
      "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required",
    ]);
  });

  it("checks scope, group and that the schema is structural", () => {
    const c = crd();
    (c.spec as { scope: string }).scope = "Global";
    c.spec.group = "example";
    c.metadata = { name: "widgets.example" };
    expect(errorsOf(c)).toEqual([
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    ]);
    const s = crd();
    const schema = s.spec.versions[0]!.schema!.openAPIV3Schema!;
    schema.properties!.spec!.properties!.loose = { description: "no type" };
    expect(errorsOf(s)).toEqual([
      "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[loose].type: Required value: must not be empty for specified object fields",
    ]);
  });
});

describe("CRD serving", () => {
  it("serves one resource per served version, GA first, with its schema and subresources", () => {
    const c = crd();
    c.spec.versions.push(
      { ...structuredClone(c.spec.versions[0]!), name: "v1beta1", storage: false },
      { ...structuredClone(c.spec.versions[0]!), name: "v2alpha1", storage: false, served: false },
    );
    const defs = resourcesOfCrd(c);
    expect(defs.map((d) => d.version)).toEqual(["v1", "v1beta1"]);
    expect(defs[0]).toMatchObject({
      group: "example.com",
      resource: "widgets",
      kind: "Widget",
      singular: "widget",
      listKind: "WidgetList",
      namespaced: true,
      shortNames: ["wd"],
    });
    expect(defs[0]!.subresources.map((s) => s.name)).toEqual(["scale", "status"]);
    expect(defs[0]!.custom?.statusEnabled).toBe(true);
    expect(defs[0]!.custom?.terminating).toBe(false);
    c.metadata = { ...c.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" };
    expect(resourcesOfCrd(c)[0]!.custom?.terminating).toBe(true);
    const index = indexWithCrds(BUILTIN_RESOURCES, [c]);
    expect(index.byResource("example.com", "v1", "widgets")?.kind).toBe("Widget");
    expect(index.resolve("wd")).toHaveLength(2);
  });

  it("orders versions as upstream", () => {
    const sorted = ["v1alpha1", "foo", "v2", "v1beta2", "v1", "v1beta10", "bar"].sort(
      compareVersionPriority,
    );
    expect(sorted).toEqual(["v2", "v1", "v1beta10", "v1beta2", "v1alpha1", "bar", "foo"]);
  });

  it("leaves out a CRD whose resource a built-in already serves", () => {
    const c = crd();
    c.spec.group = "apps";
    c.spec.names = { plural: "deployments", kind: "Deployment" };
    const index = indexWithCrds(BUILTIN_RESOURCES, [c]);
    expect(index.byResource("apps", "v1", "deployments")?.custom).toBeUndefined();
  });

  it("sets accepted names, NamesAccepted and Established, and the stored version", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const status = desiredCrdStatus(crd(), BUILTIN_RESOURCES, [], now);
    expect(status.acceptedNames).toEqual({
      plural: "widgets",
      singular: "widget",
      kind: "Widget",
      listKind: "WidgetList",
      shortNames: ["wd"],
    });
    expect(status.conditions).toEqual([
      {
        type: "NamesAccepted",
        status: "True",
        reason: "NoConflicts",
        message: "no conflicts found",
        lastTransitionTime: "2026-01-01T00:00:00Z",
      },
      {
        type: "Established",
        status: "True",
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
        lastTransitionTime: "2026-01-01T00:00:00Z",
      },
    ]);
    expect(status.storedVersions).toEqual(["v1"]);
    const other = crd();
    other.metadata = { name: "gadgets.example.com" };
    other.spec.names = { plural: "gadgets", kind: "Gadget", shortNames: ["wd"] };
    const clash = desiredCrdStatus(other, BUILTIN_RESOURCES, [{ ...crd(), status }], now);
    expect(clash.conditions?.[0]).toMatchObject({
      type: "NamesAccepted",
      status: "False",
      reason: "ShortNamesConflict",
    });
  });

  it("adds the cleanup finalizer on delete, once", () => {
    const once = withCleanupFinalizer(crd());
    expect(once.metadata?.finalizers).toEqual(["customresourcecleanup.apiextensions.k8s.io"]);
    expect(withCleanupFinalizer(once).metadata?.finalizers).toHaveLength(1);
  });

  it("prints Name plus the printer columns, or Name and Age by default", () => {
    const printer = customResourcePrinter(crd().spec.versions[0]!.additionalPrinterColumns!);
    expect(printer.columns.map((c) => c.name)).toEqual(["Name", "Replicas", "Color"]);
    const obj = { metadata: { name: "w" }, spec: { replicas: 2 } };
    expect(printer.cells(obj, new Date())).toEqual(["w", 2, null]);
    const plain = customResourcePrinter([]);
    expect(plain.columns.map((c) => [c.name, c.type])).toEqual([
      ["Name", "string"],
      ["Age", "date"],
    ]);
  });

  it("evaluates the JSONPath forms printer columns use", () => {
    const obj = {
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "Synced", status: "False" },
        ],
      },
      spec: { list: [{ n: 1 }, { n: 2 }], "a.b": "dotted" },
    };
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Ready")].status')).toEqual([
      "True",
    ]);
    expect(evaluateJsonPath(obj, ".spec.list[*].n")).toEqual([1, 2]);
    expect(evaluateJsonPath(obj, ".spec.list[1].n")).toEqual([2]);
    expect(evaluateJsonPath(obj, "{.spec['a.b']}")).toEqual(["dotted"]);
    expect(evaluateJsonPath(obj, ".spec.missing")).toEqual([]);
  });
});
