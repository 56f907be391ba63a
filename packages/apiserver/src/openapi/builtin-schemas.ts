import type { JSONSchemaProps } from "../crd/json-schema.js";
import { BUILTIN_TYPES, describeKind, kindTypeName } from "./builtin-types.js";
import { type FieldType, parseFieldType, type TypeDescription } from "./type-description.js";

const cache = new Map<string, JSONSchemaProps>();

function fromType(t: FieldType): JSONSchemaProps {
  switch (t.kind) {
    case "list":
      return { type: "array", items: fromType(t.of) };
    case "map":
      return { type: "object", additionalProperties: fromType(t.of) };
    case "ref": {
      const desc = BUILTIN_TYPES[t.name];
      return desc
        ? fromDescription(t.name, desc)
        : { "x-kubernetes-preserve-unknown-fields": true };
    }
    case "scalar":
      return t.name === "raw" ? { "x-kubernetes-preserve-unknown-fields": true } : {};
  }
}

function fromDescription(short: string, desc: TypeDescription): JSONSchemaProps {
  const cached = cache.get(short);
  if (cached) return cached;
  const properties: Record<string, JSONSchemaProps> = {};
  const schema: JSONSchemaProps = { type: "object", properties };
  if (desc.open) schema["x-kubernetes-preserve-unknown-fields"] = true;
  cache.set(short, schema);
  for (const [name, [type]] of Object.entries(desc.fields)) {
    properties[name] = fromType(parseFieldType(type, short));
  }
  return schema;
}

/**
 * The structural schema of a built-in kind, generated from its type
 * description, for strict field validation: what is described is known,
 * `raw` fields and types described in part accept anything.
 */
export function builtinSchemaFor(group: string, version: string, kind: string): JSONSchemaProps {
  const gvk = { group, version, kind };
  return fromDescription(kindTypeName(gvk), describeKind(gvk));
}
