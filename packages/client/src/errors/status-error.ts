import type { Status, StatusDetails } from "../meta/types.js";

/** The `reason` values the apiserver sets on a failed {@link Status}. */
export const StatusReason = {
  Unknown: "",
  Unauthorized: "Unauthorized",
  Forbidden: "Forbidden",
  NotFound: "NotFound",
  AlreadyExists: "AlreadyExists",
  Conflict: "Conflict",
  Gone: "Gone",
  Invalid: "Invalid",
  ServerTimeout: "ServerTimeout",
  Timeout: "Timeout",
  TooManyRequests: "TooManyRequests",
  BadRequest: "BadRequest",
  MethodNotAllowed: "MethodNotAllowed",
  NotAcceptable: "NotAcceptable",
  RequestEntityTooLarge: "RequestEntityTooLarge",
  UnsupportedMediaType: "UnsupportedMediaType",
  InternalError: "InternalError",
  Expired: "Expired",
  ServiceUnavailable: "ServiceUnavailable",
} as const;

/** One of the {@link StatusReason} values (or any string a newer server sends). */
export type StatusReasonValue = (typeof StatusReason)[keyof typeof StatusReason] | (string & {});

/** A failure the apiserver reported as a metav1.Status. */
export class StatusError extends Error {
  override readonly name = "StatusError";
  /** The Status as the server sent it (or as we synthesised it for a non-Status body). */
  readonly status: Status;

  constructor(status: Status, options?: ErrorOptions) {
    super(
      status.message || `the server reported ${status.reason || `HTTP ${status.code}`}`,
      options,
    );
    this.status = status;
  }

  /** The machine-readable reason, `""` when the server gave none. */
  get reason(): StatusReasonValue {
    return this.status.reason ?? "";
  }

  /** The HTTP status code, 0 when unknown. */
  get code(): number {
    return this.status.code ?? 0;
  }

  /** Extra detail: the object's name/kind, field causes, retryAfterSeconds. */
  get details(): StatusDetails | undefined {
    return this.status.details;
  }
}

/** Builds a StatusError for a response whose body was not a Status (a proxy's HTML, say). */
export function statusErrorFromResponse(code: number, body: string): StatusError {
  return new StatusError({
    kind: "Status",
    status: "Failure",
    code,
    reason: reasonForCode(code),
    message: body.trim().slice(0, 512) || `the server responded with HTTP ${code}`,
  });
}

/** The reason the apiserver uses for a bare HTTP status code. */
export function reasonForCode(code: number): StatusReasonValue {
  switch (code) {
    case 400:
      return StatusReason.BadRequest;
    case 401:
      return StatusReason.Unauthorized;
    case 403:
      return StatusReason.Forbidden;
    case 404:
      return StatusReason.NotFound;
    case 405:
      return StatusReason.MethodNotAllowed;
    case 406:
      return StatusReason.NotAcceptable;
    case 409:
      return StatusReason.Conflict;
    case 410:
      return StatusReason.Gone;
    case 413:
      return StatusReason.RequestEntityTooLarge;
    case 415:
      return StatusReason.UnsupportedMediaType;
    case 422:
      return StatusReason.Invalid;
    case 429:
      return StatusReason.TooManyRequests;
    case 500:
      return StatusReason.InternalError;
    case 503:
      return StatusReason.ServiceUnavailable;
    case 504:
      return StatusReason.ServerTimeout;
    default:
      return StatusReason.Unknown;
  }
}
