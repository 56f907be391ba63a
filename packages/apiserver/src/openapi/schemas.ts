import {
  definitionName,
  type Field,
  type FieldType,
  parseFieldType,
  type TypeDescription,
  type TypeTable,
} from "./type-description.js";

/** An OpenAPI schema object, loosely typed: it is only ever serialized. */
export type OpenApiSchema = Record<string, unknown>;

/** Which OpenAPI flavour to write: v2's `#/definitions/` or v3's `#/components/schemas/`. */
export type OpenApiFlavour = "v2" | "v3";

/** The apimachinery string types fields refer to. */
export const STRING_TYPES: Record<string, { name: string; schema: OpenApiSchema }> = {
  quantity: {
    name: "io.k8s.apimachinery.pkg.api.resource.Quantity",
    schema: {
      description: "A fixed-point amount with a unit suffix, such as 100m, 1.5Gi or 2e3.",
      type: "string",
    },
  },
  "int-or-string": {
    name: "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    schema: {
      description: "A value that is either an integer or a string.",
      type: "string",
      format: "int-or-string",
    },
  },
  time: {
    name: "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    schema: {
      description: "A point in time, RFC 3339, to the second.",
      type: "string",
      format: "date-time",
    },
  },
};

const refTo = (flavour: OpenApiFlavour, name: string) =>
  flavour === "v2" ? `#/definitions/${name}` : `#/components/schemas/${name}`;

// A reference with a description of its own: v3 wraps it in allOf, as upstream does.
function refSchema(flavour: OpenApiFlavour, name: string, description?: string): OpenApiSchema {
  const ref = refTo(flavour, name);
  if (description === undefined) return { $ref: ref };
  return flavour === "v2" ? { $ref: ref, description } : { allOf: [{ $ref: ref }], description };
}

function typeSchema(flavour: OpenApiFlavour, t: FieldType, description?: string): OpenApiSchema {
  const withDoc = (s: OpenApiSchema) => (description === undefined ? s : { description, ...s });
  switch (t.kind) {
    case "list":
      return withDoc({ type: "array", items: typeSchema(flavour, t.of) });
    case "map":
      return withDoc({ type: "object", additionalProperties: typeSchema(flavour, t.of) });
    case "ref":
      return refSchema(flavour, definitionName(t.name), description);
    case "scalar":
      switch (t.name) {
        case "string":
          return withDoc({ type: "string" });
        case "int32":
        case "int64":
          return withDoc({ type: "integer", format: t.name });
        case "number":
          return withDoc({ type: "number", format: "double" });
        case "boolean":
          return withDoc({ type: "boolean" });
        case "bytes":
          return withDoc({ type: "string", format: "byte" });
        case "raw":
          return withDoc({ type: "object", "x-kubernetes-preserve-unknown-fields": true });
        default:
          return refSchema(flavour, STRING_TYPES[t.name]!.name, description);
      }
  }
}

function fieldSchema(flavour: OpenApiFlavour, field: Field, owner: string): OpenApiSchema {
  const [type, doc, opts = {}] = field;
  const t = parseFieldType(type, owner);
  const schema = typeSchema(flavour, t, doc);
  if (opts.enum) schema.enum = [...opts.enum];
  if (t.kind === "list") {
    const listType = opts.listType ?? (opts.mergeKey ? "map" : undefined);
    if (listType) schema["x-kubernetes-list-type"] = listType;
    if (listType === "map") schema["x-kubernetes-list-map-keys"] = opts.mapKeys ?? [opts.mergeKey];
  }
  if (opts.mapType) schema["x-kubernetes-map-type"] = opts.mapType;
  if (opts.mergeKey) schema["x-kubernetes-patch-merge-key"] = opts.mergeKey;
  if (opts.patch) schema["x-kubernetes-patch-strategy"] = opts.patch;
  return schema;
}

/** A group/version/kind, as x-kubernetes-group-version-kind lists it. */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** The OpenAPI schema of one described type. */
export function describedTypeSchema(
  flavour: OpenApiFlavour,
  short: string,
  desc: TypeDescription,
  gvks: readonly Gvk[] = [],
): OpenApiSchema {
  const properties: OpenApiSchema = {};
  const required: string[] = [];
  for (const name of Object.keys(desc.fields).sort()) {
    const field = desc.fields[name]!;
    properties[name] = fieldSchema(flavour, field, short);
    if (field[2]?.required) required.push(name);
  }
  const schema: OpenApiSchema = { description: desc.doc, type: "object", properties };
  if (required.length > 0) schema.required = required;
  if (desc.open) schema["x-kubernetes-preserve-unknown-fields"] = true;
  if (gvks.length > 0) schema["x-kubernetes-group-version-kind"] = gvks.map((g) => ({ ...g }));
  return schema;
}

/**
 * The definitions `roots` need, by definition name: each root type, every
 * type its fields refer to (transitively), and the apimachinery string
 * types used.
 */
export function schemasFor(
  flavour: OpenApiFlavour,
  types: TypeTable,
  roots: readonly { short: string; desc: TypeDescription; gvks: readonly Gvk[] }[],
): Record<string, OpenApiSchema> {
  const out: Record<string, OpenApiSchema> = {};
  const visit = (short: string, desc: TypeDescription, gvks: readonly Gvk[]) => {
    const name = definitionName(short);
    if (out[name]) return;
    out[name] = describedTypeSchema(flavour, short, desc, gvks);
    for (const [type] of Object.values(desc.fields)) visitType(parseFieldType(type, short));
  };
  const visitType = (t: FieldType): void => {
    if (t.kind === "list" || t.kind === "map") {
      visitType(t.of);
      return;
    }
    if (t.kind === "scalar") {
      const s = STRING_TYPES[t.name];
      if (s) out[s.name] = { ...s.schema };
      return;
    }
    const desc = types[t.name];
    if (!desc) throw new Error(`type ${t.name} is referred to but not described`);
    visit(t.name, desc, []);
  };
  // Roots first, so a kind referred to by another root keeps its GVK.
  for (const root of roots)
    out[definitionName(root.short)] = describedTypeSchema(
      flavour,
      root.short,
      root.desc,
      root.gvks,
    );
  for (const root of roots)
    for (const [type] of Object.values(root.desc.fields))
      visitType(parseFieldType(type, root.short));
  return out;
}
