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
    schema[key]?.forEach((s, i) => {
      checkJunctor(s, path.child(key).index(i), errs);
    });
  }
  if (schema.not) checkJunctor(schema.not, path.child("not"), errs);
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
