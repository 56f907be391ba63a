import { deepCopy, isRecord } from "../types/object.js";
import { additionalSchema, type JSONSchemaProps } from "./json-schema.js";

function defaultValue(schema: JSONSchemaProps | undefined, value: unknown): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) defaultValue(schema.items, item);
    return;
  }
  if (!isRecord(value)) return;
  const props = schema.properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    const missing = !(key in value) || value[key] === undefined;
    // A null in a field that may not be null takes the default, as upstream does.
    const nullReplaced = value[key] === null && !sub.nullable;
    if ((missing || nullReplaced) && sub.default !== undefined) value[key] = deepCopy(sub.default);
  }
  const extra = additionalSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    defaultValue(Object.hasOwn(props, key) ? props[key] : extra, v);
  }
}

/**
 * Fills in, in place, the `default` of every missing field the schema
 * specifies, top-down, so that a defaulted object gets its own fields'
 * defaults too (upstream's structural defaulting).
 */
export function defaultCustomResource(schema: JSONSchemaProps, obj: Record<string, unknown>): void {
  const { metadata: _m, ...props } = schema.properties ?? {};
  defaultValue({ ...schema, properties: props }, obj);
}
