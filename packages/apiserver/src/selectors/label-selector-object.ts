import { isRecord } from "../types/object.js";
import { type LabelOperator, type LabelRequirement, newRequirement } from "./label-requirement.js";
import {
  EVERYTHING,
  type LabelSelector,
  NOTHING,
  selectorFromRequirements,
} from "./label-selector.js";

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** metav1.LabelSelector, as it appears in a Deployment's `spec.selector`. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

const OPERATORS: Record<string, LabelOperator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * Turns a metav1.LabelSelector into a selector. As upstream: null selects
 * nothing, an empty selector selects everything, and an unknown operator is
 * an error. Never throws.
 */
export function labelSelectorFromObject(
  obj: unknown,
): { ok: true; selector: LabelSelector } | { ok: false; message: string } {
  if (obj === null || obj === undefined) return { ok: true, selector: NOTHING };
  if (!isRecord(obj)) return { ok: false, message: "a label selector must be an object" };
  const matchLabels = isRecord(obj.matchLabels) ? obj.matchLabels : {};
  const matchExpressions = Array.isArray(obj.matchExpressions) ? obj.matchExpressions : [];
  if (Object.keys(matchLabels).length + matchExpressions.length === 0)
    return { ok: true, selector: EVERYTHING };
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(matchLabels)) {
    const made = newRequirement(key, "=", [String(value)]);
    if (!made.ok) return made;
    reqs.push(made.requirement);
  }
  for (const expr of matchExpressions) {
    if (!isRecord(expr)) return { ok: false, message: "a match expression must be an object" };
    const op = OPERATORS[String(expr.operator)];
    if (op === undefined)
      return {
        ok: false,
        message: `${JSON.stringify(String(expr.operator))} is not a valid label selector operator`,
      };
    const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
    const made = newRequirement(String(expr.key ?? ""), op, values);
    if (!made.ok) return made;
    reqs.push(made.requirement);
  }
  return { ok: true, selector: selectorFromRequirements(reqs) };
}
