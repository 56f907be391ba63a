import { isRecord } from "../types/object.js";
import {
  type FieldError,
  forbiddenField,
  invalidValue,
  required,
} from "../validation/field-error.js";
import type { FieldPath } from "../validation/field-path.js";
import { additionalSchema, type JSONSchemaProps } from "./json-schema.js";

const TYPES = ["object", "array", "string", "integer", "number", "boolean"];

// Inside allOf/anyOf/oneOf/not a structural schema may only restate
// value validations, never types or fields of its own.
function checkJunctor(schema: JSONSchemaProps, path: FieldPath, errs: FieldError[]): void {
  for (const key of ["type", "default", "nullable", "additionalProperties"] as const) {
    if (schema[key] !== undefined)
      errs.push(forbiddenField(path.child(key), "must be empty to be structural"));
  }
  for (const key of [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
  ] as const) {
    if (schema[key]) errs.push(forbiddenField(path.child(key), "must be false to be structural"));
  }
}

const NUMBERS = [
  "maximum",
  "minimum",
  "multipleOf",
  "maxLength",
  "minLength",
  "maxItems",
  "minItems",
  "maxProperties",
  "minProperties",
] as const;

// The members the validator reads must have the shapes it expects.
function checkShapes(schema: JSONSchemaProps, path: FieldPath, errs: FieldError[]): void {
  for (const key of NUMBERS) {
    if (schema[key] !== undefined && typeof schema[key] !== "number")
      errs.push(invalidValue(path.child(key), schema[key], "must be a number"));
  }
  if (schema.pattern !== undefined && typeof schema.pattern !== "string")
    errs.push(invalidValue(path.child("pattern"), schema.pattern, "must be a string"));
  if (schema.enum !== undefined && !Array.isArray(schema.enum))
    errs.push(invalidValue(path.child("enum"), schema.enum, "must be a list"));
  if (
    schema.required !== undefined &&
    (!Array.isArray(schema.required) || !schema.required.every((r) => typeof r === "string"))
  )
    errs.push(invalidValue(path.child("required"), schema.required, "must be a list of strings"));
  if (schema.properties !== undefined && !isRecord(schema.properties))
    errs.push(
      invalidValue(path.child("properties"), schema.properties, "must be a map of schemas"),
    );
  const ap = schema.additionalProperties;
  if (ap !== undefined && typeof ap !== "boolean" && !isRecord(ap))
    errs.push(
      invalidValue(path.child("additionalProperties"), ap, "must be a schema or a boolean"),
    );
  for (const key of ["x-kubernetes-list-map-keys"] as const) {
    const v = schema[key];
    if (v !== undefined && (!Array.isArray(v) || !v.every((k) => typeof k === "string")))
      errs.push(invalidValue(path.child(key), v, "must be a list of strings"));
  }
}

function checkNode(
  schema: JSONSchemaProps,
  path: FieldPath,
  errs: FieldError[],
  isRoot: boolean,
): void {
  if (!isRecord(schema)) {
    errs.push(invalidValue(path, schema, "must be a schema object"));
    return;
  }
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (schema.type !== undefined && !TYPES.includes(schema.type)) {
    errs.push(invalidValue(path.child("type"), schema.type, `must be one of ${TYPES.join(", ")}`));
  } else if (schema.type === undefined && !intOrString && !preserve) {
    errs.push(
      required(
        path.child("type"),
        isRoot ? "must not be empty at the root" : "must not be empty for specified object fields",
      ),
    );
  }
  if (isRoot && schema.type !== undefined && schema.type !== "object")
    errs.push(invalidValue(path.child("type"), schema.type, "must be object at the root"));
  if (intOrString && schema.type !== undefined)
    errs.push(
      forbiddenField(path.child("type"), "must be empty if x-kubernetes-int-or-string is true"),
    );
  if (schema.type === "array" && schema.items === undefined)
    errs.push(required(path.child("items"), "must be specified"));
  if (schema.properties !== undefined && additionalSchema(schema) !== undefined)
    errs.push(
      forbiddenField(
        path.child("additionalProperties"),
        "additionalProperties and properties are mutual exclusive",
      ),
    );
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    checkNode(sub, path.child("properties").key(name), errs, false);
  }
  const extra = additionalSchema(schema);
  if (extra) checkNode(extra, path.child("additionalProperties"), errs, false);
  if (schema.items) checkNode(schema.items, path.child("items"), errs, false);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every(isRecord)) {
      errs.push(invalidValue(path.child(key), list, "must be a list of schemas"));
      continue;
    }
    list.forEach((s, i) => {
      checkJunctor(s, path.child(key).index(i), errs);
    });
  }
  if (schema.not !== undefined) {
    if (isRecord(schema.not)) checkJunctor(schema.not, path.child("not"), errs);
    else errs.push(invalidValue(path.child("not"), schema.not, "must be a schema"));
  }
  checkShapes(schema, path, errs);
}

/**
 * Field errors that make a CRD version's schema non-structural, as
 * upstream requires of every apiextensions/v1 schema: every field has a
 * type (unless it is int-or-string or preserves unknown fields), the root
 * is an object, arrays say what their items are, and logical junctors
 * only add value validations.
 */
export function structuralErrors(schema: JSONSchemaProps, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  checkNode(schema, path, errs, true);
  return errs;
}
