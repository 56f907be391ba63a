import { aggregateFieldErrors, type FieldError, invalidValue } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";
import { isQualifiedName, isValidLabelValue } from "../validation/names.js";

/** A label selector operator, as upstream's selection.Operator spells them. */
export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One term of a label selector: `app=web`, `tier in (a,b)`, `!canary`, `replicas>3`. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated, as upstream keeps them. */
  values: string[];
}

/**
 * Makes a requirement, or the reasons it is not valid: every problem is
 * reported, aggregated and worded as upstream's NewRequirement does
 * (`key: Invalid value: ...`, `values[0][app]: Invalid value: ...`).
 */
export function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
): { ok: true; requirement: LabelRequirement } | { ok: false; message: string } {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalidValue(FieldPath.root("key"), key, keyErrs.join("; ")));
  const valuesPath = FieldPath.root("values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) {
        errs.push(
          invalidValue(
            valuesPath,
            values,
            "for 'in', 'notin' operators, values set can't be empty",
          ),
        );
      }
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) {
        errs.push(
          invalidValue(valuesPath, values, "exact-match compatibility requires one single value"),
        );
      }
      break;
    case "exists":
    case "!":
      if (values.length !== 0) {
        errs.push(
          invalidValue(
            valuesPath,
            values,
            "values set must be empty for exists and does not exist",
          ),
        );
      }
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) {
        errs.push(
          invalidValue(
            valuesPath,
            values,
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        );
      }
      for (const [i, v] of values.entries()) {
        if (!INTEGER.test(v)) {
          errs.push(
            invalidValue(
              valuesPath.index(i),
              v,
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
        }
      }
      break;
  }
  for (const [i, v] of values.entries()) {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0)
      errs.push(invalidValue(valuesPath.index(i).key(key), v, valueErrs.join("; ")));
  }
  if (errs.length > 0) return { ok: false, message: aggregateFieldErrors(errs) };
  return { ok: true, requirement: { key, operator, values: [...new Set(values)].sort() } };
}

const INTEGER = /^[+-]?\d+$/;

/** Whether a label set satisfies one requirement. */
export function matchesRequirement(
  req: LabelRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case "=":
    case "==":
    case "in":
      return has && req.values.includes(value!);
    case "!=":
    case "notin":
      return !has || !req.values.includes(value!);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !INTEGER.test(value!)) return false;
      const actual = BigInt(value!);
      const bound = BigInt(req.values[0]!);
      return req.operator === "gt" ? actual > bound : actual < bound;
    }
  }
}

/** The requirement in selector syntax, as upstream prints it. */
export function requirementString(req: LabelRequirement): string {
  switch (req.operator) {
    case "exists":
      return req.key;
    case "!":
      return `!${req.key}`;
    case "in":
    case "notin":
      return `${req.key} ${req.operator} (${req.values.join(",")})`;
    case "gt":
      return `${req.key}>${req.values[0]}`;
    case "lt":
      return `${req.key}<${req.values[0]}`;
    default:
      return `${req.key}${req.operator}${req.values[0]}`;
  }
}
