import { invalid } from "../errors/builders.js";
import type { CauseType, Status, StatusCause } from "../errors/status.js";
import type { GroupKind } from "../types/group-version.js";
import type { FieldPath } from "./field-path.js";
import { formatGoValue } from "./go-format.js";

/** The kinds of field error upstream's validation reports. */
export type FieldErrorType =
  | "NotFound"
  | "Required"
  | "Duplicate"
  | "Invalid"
  | "NotSupported"
  | "Forbidden"
  | "TooLong"
  | "TooMany"
  | "Internal"
  | "TypeInvalid";

/** One validation failure on one field (upstream's field.Error). */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value; `undefined` when it is not worth printing. */
  value?: unknown;
  /** Whether `value` should be printed at all. */
  hasValue: boolean;
  detail: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  NotFound: "Not found",
  Required: "Required value",
  Duplicate: "Duplicate value",
  Invalid: "Invalid value",
  NotSupported: "Unsupported value",
  Forbidden: "Forbidden",
  TooLong: "Too long",
  TooMany: "Too many",
  Internal: "Internal error",
  TypeInvalid: "Invalid value",
};

const CAUSE_TYPE: Record<FieldErrorType, CauseType> = {
  NotFound: "FieldValueNotFound",
  Required: "FieldValueRequired",
  Duplicate: "FieldValueDuplicate",
  Invalid: "FieldValueInvalid",
  NotSupported: "FieldValueNotSupported",
  Forbidden: "FieldValueForbidden",
  TooLong: "FieldValueTooLong",
  TooMany: "FieldValueTooMany",
  Internal: "InternalError",
  TypeInvalid: "FieldValueTypeInvalid",
};

// These types never print the value, whatever was passed.
const VALUELESS: ReadonlySet<FieldErrorType> = new Set([
  "Required",
  "Forbidden",
  "TooLong",
  "Internal",
]);

const make = (
  type: FieldErrorType,
  path: FieldPath,
  value: unknown,
  hasValue: boolean,
  detail: string,
): FieldError => ({
  type,
  field: path.toString(),
  value,
  hasValue,
  detail,
});

/** A required field is missing. */
export const required = (path: FieldPath, detail = ""): FieldError =>
  make("Required", path, undefined, false, detail);
/** A field's value is wrong. */
export const invalidValue = (path: FieldPath, value: unknown, detail: string): FieldError =>
  make("Invalid", path, value, true, detail);
/** A value appears twice where it must be unique. */
export const duplicate = (path: FieldPath, value: unknown): FieldError =>
  make("Duplicate", path, value, true, "");
/** A value is not among the supported ones. */
export const notSupported = (
  path: FieldPath,
  value: unknown,
  supported: readonly string[],
): FieldError =>
  make(
    "NotSupported",
    path,
    value,
    true,
    supported.length > 0
      ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`
      : "",
  );
/** A field may not be set or changed. */
export const forbiddenField = (path: FieldPath, detail: string): FieldError =>
  make("Forbidden", path, undefined, false, detail);
/** A value is longer than allowed. */
export const tooLong = (path: FieldPath, value: unknown, maxLength: number): FieldError =>
  make("TooLong", path, value, false, `must have at most ${maxLength} bytes`);
/** A list has too many items. */
export const tooMany = (path: FieldPath, actual: number, max: number): FieldError =>
  make("TooMany", path, actual, true, `must have at most ${max} items`);
/** A referenced thing does not exist. */
export const notFoundField = (path: FieldPath, value: unknown): FieldError =>
  make("NotFound", path, value, true, "");

/** The text after the field path: `Invalid value: "X": detail`. */
export function errorBody(err: FieldError): string {
  let s = TYPE_TEXT[err.type];
  if (!VALUELESS.has(err.type) && err.hasValue) s += `: ${formatGoValue(err.value)}`;
  if (err.detail !== "") s += `: ${err.detail}`;
  return s;
}

/** `field: body`, as upstream prints one field error. */
export function fieldErrorString(err: FieldError): string {
  return `${err.field}: ${errorBody(err)}`;
}

/**
 * The aggregate message of a list of field errors: the single message, or
 * `[a, b]` for several, with duplicate messages dropped as upstream does.
 */
export function aggregateFieldErrors(errs: readonly FieldError[]): string {
  const messages = [...new Set(errs.map(fieldErrorString))];
  if (messages.length === 1) return messages[0]!;
  return `[${messages.join(", ")}]`;
}

/** The `details.causes` entries of an Invalid Status. */
export function toCauses(errs: readonly FieldError[]): StatusCause[] {
  return errs.map((e) => ({ reason: CAUSE_TYPE[e.type], message: errorBody(e), field: e.field }));
}

/** The 422 Invalid Status for `errs`: `Deployment.apps "x" is invalid: ...`. */
export function invalidStatus(gk: GroupKind, name: string, errs: readonly FieldError[]): Status {
  return invalid(gk, name, aggregateFieldErrors(errs), toCauses(errs));
}
