import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JSONSchemaProps } from "../../src/crd/json-schema.js";
import { defaultCustomResource } from "../../src/crd/schema-default.js";
import { pruneCustomResource } from "../../src/crd/schema-prune.js";
import { validateCustomResource, validateValue } from "../../src/crd/schema-validate.js";
import { structuralErrors } from "../../src/crd/structural-schema.js";
import { fieldErrorString } from "../../src/validation/field-error.js";
import { FieldPath } from "../../src/validation/field-path.js";
import { WIDGET_CRD } from "./fixtures.js";

const schema = WIDGET_CRD.spec.versions[0]!.schema.openAPIV3Schema as JSONSchemaProps;
const errorsOf = (obj: Record<string, unknown>) =>
  validateCustomResource(schema, obj).map(fieldErrorString);

describe("custom resource schema validation", () => {
  it("words type errors as upstream, with the type found as the value", () => {
    expect(errorsOf({ spec: { color: "red", replicas: "three" } })).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(errorsOf({ spec: { color: "red", replicas: 1.5 } })).toEqual([
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
    expect(errorsOf({ spec: { color: "red", size: true } })).toEqual([
      'spec.size: Invalid value: "boolean": spec.size in body must be of type integer,string: "boolean"',
    ]);
  });

  it("checks required, enum, bounds, lengths, pattern and item counts", () => {
    expect(errorsOf({ spec: {} })).toEqual(["spec.color: Required value"]);
    expect(errorsOf({ spec: { color: "pink" } })).toEqual([
      'spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"',
    ]);
    expect(errorsOf({ spec: { color: "red", replicas: 11 } })).toEqual([
      "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
    ]);
    expect(errorsOf({ spec: { color: "red", replicas: -1 } })).toEqual([
      "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
    ]);
    expect(errorsOf({ spec: { color: "red", name: "a" } })).toEqual([
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
    ]);
    expect(errorsOf({ spec: { color: "red", name: "abcdefghij" } })).toEqual([
      "spec.name: Too long: must have at most 8 bytes",
    ]);
    expect(errorsOf({ spec: { color: "red", name: "AB" } })).toEqual([
      `spec.name: Invalid value: "AB": spec.name in body should match '^[a-z]+$'`,
    ]);
    expect(errorsOf({ spec: { color: "red", tags: ["a", "b", "c"] } })).toEqual([
      "spec.tags: Too many: 3: must have at most 2 items",
    ]);
    expect(errorsOf({ spec: { color: "red", tags: [1] } })).toEqual([
      'spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"',
    ]);
  });

  it("accepts int-or-string either way, nullable nulls, and anything under preserved fields", () => {
    expect(errorsOf({ spec: { color: "red", size: 3, extra: { any: [1, "x"] } } })).toEqual([]);
    expect(errorsOf({ spec: { color: "red", size: "3Gi" } })).toEqual([]);
    expect(validateValue({ type: "string", nullable: true }, null, "x")).toEqual([]);
    expect(validateValue({ type: "string" }, null, "x").map(fieldErrorString)).toEqual([
      'x: Invalid value: "null": x in body must be of type string: "null"',
    ]);
  });

  it("requires apiVersion and kind of embedded resources", () => {
    const s: JSONSchemaProps = {
      type: "object",
      properties: {
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          "x-kubernetes-preserve-unknown-fields": true,
        },
      },
    };
    expect(validateValue(s, { template: { kind: "Pod" } }, "spec").map(fieldErrorString)).toEqual([
      "spec.template.apiVersion: Required value: must not be empty",
    ]);
    expect(validateValue(s, { template: { apiVersion: "v1", kind: "Pod" } }, "spec")).toEqual([]);
  });

  it("checks formats", () => {
    const s: JSONSchemaProps = { type: "string", format: "date-time" };
    expect(validateValue(s, "2024-01-02T03:04:05Z", "t")).toEqual([]);
    expect(validateValue(s, "yesterday", "t").map(fieldErrorString)).toEqual([
      't: Invalid value: "yesterday": t in body must be of type date-time: "yesterday"',
    ]);
    expect(validateValue({ type: "string", format: "ipv4" }, "10.0.0.1", "ip")).toEqual([]);
    expect(validateValue({ type: "string", format: "ipv4" }, "10.0.0", "ip")).toHaveLength(1);
  });

  it("finds duplicates in set and map lists", () => {
    const set: JSONSchemaProps = {
      type: "array",
      "x-kubernetes-list-type": "set",
      items: { type: "string" },
    };
    expect(validateValue(set, ["a", "b", "a"], "l").map(fieldErrorString)).toEqual([
      'l[2]: Duplicate value: "a"',
    ]);
    const map: JSONSchemaProps = {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
      items: { type: "object", properties: { name: { type: "string" } } },
    };
    expect(validateValue(map, [{ name: "a" }, { name: "a" }], "l")).toHaveLength(1);
  });
});

describe("pruning and defaulting", () => {
  it("drops unknown fields except under preserved ones, and reports their paths", () => {
    const obj: Record<string, unknown> = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", bogus: 1, labels: { a: "b" } },
      spec: { color: "red", junk: true, extra: { kept: { deep: 1 } } },
      top: 1,
    };
    const pruned = pruneCustomResource(schema, obj);
    expect(pruned.sort()).toEqual(["metadata.bogus", "spec.junk", "top"]);
    expect(obj).toEqual({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", labels: { a: "b" } },
      spec: { color: "red", extra: { kept: { deep: 1 } } },
    });
  });

  it("prunes inside embedded resources but keeps their type and metadata", () => {
    const s: JSONSchemaProps = {
      type: "object",
      properties: {
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object", properties: { a: { type: "string" } } } },
        },
      },
    };
    const obj = {
      template: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "x", y: 1 },
        spec: { a: "1", b: 2 },
      },
    };
    expect(pruneCustomResource(s, obj).sort()).toEqual(["template.metadata.y", "template.spec.b"]);
    expect(obj.template).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "x" },
      spec: { a: "1" },
    });
  });

  it("fills in defaults top-down without overriding what is set", () => {
    const s: JSONSchemaProps = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          default: {},
          properties: {
            replicas: { type: "integer", default: 1 },
            mode: { type: "string", default: "fast" },
            items: {
              type: "array",
              items: { type: "object", properties: { w: { type: "integer", default: 5 } } },
            },
          },
        },
      },
    };
    const empty: Record<string, unknown> = {};
    defaultCustomResource(s, empty);
    expect(empty).toEqual({ spec: { replicas: 1, mode: "fast" } });
    const set: Record<string, unknown> = {
      spec: { replicas: 3, mode: null, items: [{}, { w: 1 }] },
    };
    defaultCustomResource(s, set);
    expect(set).toEqual({ spec: { replicas: 3, mode: "fast", items: [{ w: 5 }, { w: 1 }] } });
  });
});

describe("robustness", () => {
  // Schemas of plausible shapes, now and then with a member of the wrong
  // JSON type: whatever a CRD author writes, either the CRD is refused or
  // its objects are handled without throwing. (About half of the
  // generated schemas are structural.)
  const mostly = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: fc.jsonValue(), weight: 1 });
  const common = {
    default: fc.jsonValue(),
    nullable: fc.boolean(),
    enum: mostly(fc.array(fc.jsonValue(), { maxLength: 3 })),
    "x-kubernetes-preserve-unknown-fields": fc.boolean(),
  };
  const opt = { requiredKeys: ["type"] as "type"[] };
  const schemaAt = (depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const tie = () => (depth > 0 ? schemaAt(depth - 1) : fc.constant({ type: "string" }));
    const scalar = fc.record(
      {
        type: mostly(fc.constantFrom("string", "integer", "number", "boolean")),
        pattern: mostly(fc.constantFrom("^a+$", "[", "x|y")),
        minimum: mostly(fc.integer({ min: -5, max: 5 })),
        maxLength: mostly(fc.nat(5)),
        format: fc.constantFrom("date-time", "ipv4", "cidr", "uuid", "nope"),
        ...common,
      },
      opt,
    );
    const object = fc.record(
      {
        type: fc.constant("object"),
        properties: mostly(fc.dictionary(fc.string({ maxLength: 3 }), tie(), { maxKeys: 3 })),
        required: mostly(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })),
        "x-kubernetes-embedded-resource": fc.boolean(),
        ...common,
      },
      opt,
    );
    const map = fc.record(
      { type: fc.constant("object"), additionalProperties: tie(), ...common },
      opt,
    );
    const array = fc.record(
      {
        type: fc.constant("array"),
        items: tie(),
        maxItems: mostly(fc.nat(3)),
        "x-kubernetes-list-type": fc.constantFrom("atomic", "set", "map"),
        "x-kubernetes-list-map-keys": mostly(
          fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
        ),
        ...common,
      },
      { requiredKeys: ["type", "items"] as ("type" | "items")[] },
    );
    const intOrString = fc.constant({ "x-kubernetes-int-or-string": true });
    return fc.oneof(scalar, object, map, array, intOrString);
  };
  const schema = schemaAt(2);

  it("never throws on any schema and value", () => {
    fc.assert(
      fc.property(schema, fc.jsonValue(), (s, value) => {
        const root = { ...s, type: "object" } as JSONSchemaProps;
        if (structuralErrors(root, FieldPath.root("schema")).length > 0) return;
        const obj = { spec: value, other: value } as Record<string, unknown>;
        pruneCustomResource(root, obj);
        defaultCustomResource(root, obj);
        validateCustomResource(root, obj);
      }),
      { numRuns: 300 },
    );
  });
});
