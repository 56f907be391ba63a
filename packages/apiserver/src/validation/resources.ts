import {
  compareQuantities,
  formatQuantity,
  QUANTITY_FORMAT_MESSAGE,
  type Quantity,
  tryParseQuantity,
} from "@kubekit/apimachinery";
import { isRecord } from "../types/object.js";
import { type FieldError, invalidValue } from "./field-error.js";
import type { FieldPath } from "./field-path.js";

/**
 * Checks a container's resources: every quantity parses and is not
 * negative, and no request exceeds its limit.
 */
export function validateResourceRequirements(resources: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(resources)) return [];
  const errs: FieldError[] = [];
  const parsed: Record<string, Record<string, Quantity>> = {};
  for (const kind of ["limits", "requests"]) {
    const map = resources[kind];
    parsed[kind] = {};
    if (!isRecord(map)) continue;
    for (const [name, value] of Object.entries(map)) {
      const p = path.child(kind).key(name);
      const q =
        typeof value === "string" || typeof value === "number"
          ? tryParseQuantity(value)
          : undefined;
      if (q === undefined) {
        errs.push(invalidValue(p, value, QUANTITY_FORMAT_MESSAGE));
      } else if (q.numerator < 0n) {
        errs.push(invalidValue(p, value, "must be greater than or equal to 0"));
      } else {
        parsed[kind]![name] = q;
      }
    }
  }
  for (const [name, request] of Object.entries(parsed.requests ?? {})) {
    const limit = parsed.limits?.[name];
    if (request && limit && compareQuantities(request, limit) > 0) {
      errs.push(
        invalidValue(
          path.child("requests").key(name),
          formatQuantity(request),
          `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
        ),
      );
    }
  }
  return errs;
}
