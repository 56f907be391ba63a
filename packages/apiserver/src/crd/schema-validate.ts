import { isRecord, jsonEqual } from "../types/object.js";
import type { FieldError } from "../validation/field-error.js";
import { additionalSchema, type JSONSchemaProps } from "./json-schema.js";
import { matchesFormat } from "./schema-format.js";

/*
 * Validates a value against a CRD's structural schema the way upstream's
 * apiextensions-apiserver does (kube-openapi's validator, whose errors are
 * turned into field errors): the field path is the JSON path of the value,
 * and the detail repeats it with "in body". Type errors carry the type name
 * that was found as their value, as upstream's do.
 */

const fieldError = (
  type: FieldError["type"],
  field: string,
  value: unknown,
  hasValue: boolean,
  detail: string,
): FieldError => ({ type, field, value, hasValue, detail });

const child = (path: string, name: string) => (path === "" ? name : `${path}.${name}`);
const inBody = (path: string) => `${path === "" ? "body" : path} in body`;

/** The JSON type name of a value, as upstream's validator reports a mismatch. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  return typeof value; // string, boolean
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    default:
      return true;
  }
}

/** Go's %v of a JSON scalar. */
const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function checkType(schema: JSONSchemaProps, value: unknown, path: string): FieldError | undefined {
  if (value === null) {
    if (schema.nullable) return undefined;
    // A null where any value is allowed is still a value.
    if (!schema.type && !schema["x-kubernetes-int-or-string"]) return undefined;
  }
  let wanted: string | undefined;
  let ok = true;
  if (schema["x-kubernetes-int-or-string"]) {
    wanted = "integer,string";
    ok = typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
  } else if (schema.type) {
    wanted = schema.type;
    ok = value !== null && typeMatches(schema.type, value);
  }
  if (ok || wanted === undefined) return undefined;
  const found = jsonTypeName(value);
  return fieldError(
    "TypeInvalid",
    path,
    found,
    true,
    `${inBody(path)} must be of type ${wanted}: ${JSON.stringify(found)}`,
  );
}

function checkString(schema: JSONSchemaProps, value: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength)
    errs.push(
      fieldError("TooLong", path, value, false, `must have at most ${schema.maxLength} bytes`),
    );
  if (schema.minLength !== undefined && length < schema.minLength)
    errs.push(
      fieldError(
        "Invalid",
        path,
        value,
        true,
        `${inBody(path)} should be at least ${schema.minLength} chars long`,
      ),
    );
  if (schema.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, "u");
    } catch {
      re = undefined;
    }
    if (re && !re.test(value))
      errs.push(
        fieldError(
          "Invalid",
          path,
          value,
          true,
          `${inBody(path)} should match '${schema.pattern}'`,
        ),
      );
  }
  if (schema.format && !matchesFormat(schema.format, value))
    errs.push(
      fieldError(
        "TypeInvalid",
        path,
        value,
        true,
        `${inBody(path)} must be of type ${schema.format}: ${JSON.stringify(value)}`,
      ),
    );
  return errs;
}

function checkNumber(schema: JSONSchemaProps, value: number, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const invalid = (detail: string) =>
    errs.push(fieldError("Invalid", path, value, true, `${inBody(path)} ${detail}`));
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum && value >= schema.maximum)
      invalid(`should be less than ${show(schema.maximum)}`);
    else if (!schema.exclusiveMaximum && value > schema.maximum)
      invalid(`should be less than or equal to ${show(schema.maximum)}`);
  }
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum && value <= schema.minimum)
      invalid(`should be greater than ${show(schema.minimum)}`);
    else if (!schema.exclusiveMinimum && value < schema.minimum)
      invalid(`should be greater than or equal to ${show(schema.minimum)}`);
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9)
      invalid(`should be a multiple of ${show(schema.multipleOf)}`);
  }
  return errs;
}

function listKey(item: unknown, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => (isRecord(item) ? (item[k] ?? null) : null)));
}

function checkArray(schema: JSONSchemaProps, value: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    errs.push(
      fieldError("TooMany", path, value.length, true, `must have at most ${schema.maxItems} items`),
    );
  if (schema.minItems !== undefined && value.length < schema.minItems)
    errs.push(
      fieldError(
        "Invalid",
        path,
        value.length,
        true,
        `${inBody(path)} should have at least ${schema.minItems} items`,
      ),
    );
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set" || listType === "map") {
    const keys = listType === "map" ? (schema["x-kubernetes-list-map-keys"] ?? []) : [];
    const seen: unknown[] = [];
    const seenKeys = new Set<string>();
    value.forEach((item, i) => {
      const dup =
        listType === "set"
          ? seen.some((s) => jsonEqual(s, item))
          : seenKeys.has(listKey(item, keys));
      if (dup) {
        const shown =
          listType === "map" && isRecord(item)
            ? Object.fromEntries(keys.filter((k) => k in item).map((k) => [k, item[k]]))
            : item;
        errs.push(fieldError("Duplicate", `${path}[${i}]`, shown, true, ""));
      }
      seen.push(item);
      seenKeys.add(listKey(item, keys));
    });
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      errs.push(...validateValue(items, item, `${path}[${i}]`));
    });
  }
  return errs;
}

function checkObject(
  schema: JSONSchemaProps,
  value: Record<string, unknown>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties)
    errs.push(
      fieldError("TooMany", path, count, true, `must have at most ${schema.maxProperties} items`),
    );
  if (schema.minProperties !== undefined && count < schema.minProperties)
    errs.push(
      fieldError(
        "Invalid",
        path,
        count,
        true,
        `${inBody(path)} should have at least ${schema.minProperties} properties`,
      ),
    );
  // An embedded resource must say what it is, as upstream checks.
  if (schema["x-kubernetes-embedded-resource"]) {
    for (const name of ["apiVersion", "kind"]) {
      if (typeof value[name] !== "string" || value[name] === "")
        errs.push(fieldError("Required", child(path, name), undefined, false, "must not be empty"));
    }
  }
  for (const name of schema.required ?? []) {
    if (!(name in value) || value[name] === undefined)
      errs.push(fieldError("Required", child(path, name), undefined, false, ""));
  }
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    const sub = Object.hasOwn(props, key) ? props[key] : extra;
    if (sub) errs.push(...validateValue(sub, v, child(path, key)));
  }
  return errs;
}

function checkCombinators(schema: JSONSchemaProps, value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const passes = (s: JSONSchemaProps) => validateValue(s, value, path).length === 0;
  for (const s of schema.allOf ?? []) errs.push(...validateValue(s, value, path));
  if (schema.anyOf && !schema.anyOf.some(passes))
    errs.push(
      fieldError(
        "Invalid",
        path,
        value,
        true,
        `${inBody(path)} must validate at least one schema (anyOf)`,
      ),
    );
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1)
    errs.push(
      fieldError(
        "Invalid",
        path,
        value,
        true,
        `${inBody(path)} must validate one and only one schema (oneOf)`,
      ),
    );
  if (schema.not && passes(schema.not))
    errs.push(
      fieldError(
        "Invalid",
        path,
        value,
        true,
        `${inBody(path)} must not validate the schema (not)`,
      ),
    );
  return errs;
}

/**
 * Field errors of `value` (found at `path`, "" for the root) against
 * `schema`. Type errors stop the descent into that value, as upstream's do.
 */
export function validateValue(schema: JSONSchemaProps, value: unknown, path: string): FieldError[] {
  const typeError = checkType(schema, value, path);
  if (typeError) return [typeError];
  if (value === null) return [];
  const errs: FieldError[] = [];
  if (schema.enum && !schema.enum.some((e) => jsonEqual(e, value)))
    errs.push(
      fieldError(
        "NotSupported",
        path,
        value,
        true,
        `supported values: ${schema.enum.map((e) => JSON.stringify(show(e))).join(", ")}`,
      ),
    );
  if (typeof value === "string") errs.push(...checkString(schema, value, path));
  else if (typeof value === "number") errs.push(...checkNumber(schema, value, path));
  else if (Array.isArray(value)) errs.push(...checkArray(schema, value, path));
  else if (isRecord(value)) errs.push(...checkObject(schema, value, path));
  errs.push(...checkCombinators(schema, value, path));
  return errs;
}

/**
 * Field errors of a whole custom resource against its version's schema.
 * metadata is checked by the ordinary ObjectMeta rules, not by the schema
 * (upstream only lets a CRD's schema constrain metadata.name/generateName).
 */
export function validateCustomResource(
  schema: JSONSchemaProps,
  obj: Record<string, unknown>,
): FieldError[] {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
  const props = { ...(schema.properties ?? {}) };
  delete props.metadata;
  delete props.apiVersion;
  delete props.kind;
  const required = (schema.required ?? []).filter(
    (r) => r !== "metadata" && r !== "apiVersion" && r !== "kind",
  );
  return validateValue({ ...schema, properties: props, required }, rest, "");
}
