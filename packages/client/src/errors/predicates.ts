import { StatusError, StatusReason, type StatusReasonValue } from "./status-error.js";

/**
 * True when `err` is a StatusError with `reason`, or, when the server gave no
 * reason, with the HTTP `code` that reason stands for. Errors wrapped as
 * `cause` are unwrapped (bounded depth).
 */
function hasReason(err: unknown, reason: StatusReasonValue, code?: number): boolean {
  const status = findStatusError(err);
  if (!status) {
    return false;
  }
  if (status.reason !== StatusReason.Unknown) {
    return status.reason === reason;
  }
  return code !== undefined && status.code === code;
}

/** The StatusError in `err` or its `cause` chain, if any. */
export function findStatusError(err: unknown): StatusError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof StatusError) {
      return current;
    }
    current = current.cause;
  }
  return undefined;
}

/** The object does not exist (404). */
export const isNotFound = (err: unknown): boolean => hasReason(err, StatusReason.NotFound, 404);
/** The object already exists (create of an existing name). */
export const isAlreadyExists = (err: unknown): boolean =>
  hasReason(err, StatusReason.AlreadyExists);
/** A write lost a resourceVersion race, or conflicts otherwise (409). */
export const isConflict = (err: unknown): boolean => hasReason(err, StatusReason.Conflict, 409);
/** The object failed validation (422). */
export const isInvalid = (err: unknown): boolean => hasReason(err, StatusReason.Invalid, 422);
/** The resourceVersion is too old (410 Gone); the watcher must re-list. */
export const isGone = (err: unknown): boolean => hasReason(err, StatusReason.Gone, 410);
/** The resourceVersion or continue token expired (also a 410). */
export const isResourceExpired = (err: unknown): boolean => hasReason(err, StatusReason.Expired);
/** Either kind of 410: re-list from scratch. */
export const isGoneOrExpired = (err: unknown): boolean => isGone(err) || isResourceExpired(err);
/** The server asks the client to slow down (429). */
export const isTooManyRequests = (err: unknown): boolean =>
  hasReason(err, StatusReason.TooManyRequests, 429);
/** The request lacked valid credentials (401). */
export const isUnauthorized = (err: unknown): boolean =>
  hasReason(err, StatusReason.Unauthorized, 401);
/** The credentials lack permission (403). */
export const isForbidden = (err: unknown): boolean => hasReason(err, StatusReason.Forbidden, 403);
/** The request was malformed (400). */
export const isBadRequest = (err: unknown): boolean => hasReason(err, StatusReason.BadRequest, 400);
/** The verb is not supported on the resource (405). */
export const isMethodNotSupported = (err: unknown): boolean =>
  hasReason(err, StatusReason.MethodNotAllowed, 405);
/** The server could not finish in time and the client may retry (504 / ServerTimeout). */
export const isServerTimeout = (err: unknown): boolean =>
  hasReason(err, StatusReason.ServerTimeout, 504);
/** The request's own timeout passed (Timeout). */
export const isTimeout = (err: unknown): boolean => hasReason(err, StatusReason.Timeout);
/** The server failed internally (500). */
export const isInternalError = (err: unknown): boolean =>
  hasReason(err, StatusReason.InternalError, 500);
/** The server is not ready to serve (503). */
export const isServiceUnavailable = (err: unknown): boolean =>
  hasReason(err, StatusReason.ServiceUnavailable, 503);

/** Seconds the server asked the client to wait before retrying, if it said. */
export function retryAfterSeconds(err: unknown): number | undefined {
  const seconds = findStatusError(err)?.details?.retryAfterSeconds;
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}
