import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { ResourceRequest } from "../server/request-context.js";
import {
  fieldValidationOutcome,
  parseFieldValidation,
  unknownFields,
  warningHeaders,
} from "./field-validation.js";

/**
 * Applies the request's `fieldValidation` to the object it writes: the 400
 * Status to answer with (Strict, or a bad parameter), or undefined after
 * adding Warning headers (Warn). For a patch, `before` is the stored
 * object, whose own unknown fields are not the request's doing. Creates
 * and updates word the error as a decoding failure of the body, as
 * upstream does (`Deployment in version "v1" cannot be handled as a
 * Deployment: strict decoding error: ...`); patches do not.
 */
export function checkFieldValidation(
  r: ResourceRequest,
  obj: unknown,
  before?: unknown,
): Status | undefined {
  const mode = parseFieldValidation(r.query);
  if (!mode.ok) return mode.status;
  if (mode.mode === "Ignore") return undefined;
  const old = new Set(before === undefined ? [] : unknownFields(r.def, before));
  const unknown = unknownFields(r.def, obj).filter((p) => !old.has(p));
  const outcome = fieldValidationOutcome(mode.mode, unknown);
  if (outcome.status) {
    if (before !== undefined) return outcome.status;
    const { kind, version } = r.def;
    return badRequest(
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${outcome.status.message}`,
    );
  }
  if (outcome.warnings.length > 0 && !r.res.headersSent) {
    const existing = r.res.getHeader("Warning");
    const prior =
      existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    r.res.setHeader("Warning", [...prior, ...warningHeaders(outcome.warnings)]);
  }
  return undefined;
}
