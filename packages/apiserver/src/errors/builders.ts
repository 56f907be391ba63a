import type { GroupKind, GroupResource } from "../types/group-version.js";
import { qualifiedName } from "../types/group-version.js";
import { failure, type Status, type StatusCause } from "./status.js";

/** The sentence upstream appends to every optimistic-concurrency conflict. */
export const OPTIMISTIC_LOCK_MESSAGE =
  "the object has been modified; please apply your changes to the latest version and try again";

const resourceString = (gr: GroupResource): string => qualifiedName(gr.resource, gr.group);

/** 404: `pods "x" not found`. */
export function notFound(gr: GroupResource, name: string): Status {
  return failure(404, "NotFound", `${resourceString(gr)} ${quote(name)} not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** 409: `pods "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): Status {
  return failure(409, "AlreadyExists", `${resourceString(gr)} ${quote(name)} already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** 409 when generateName produced a name that is taken; the client may retry. */
export function generateNameConflict(
  gr: GroupResource,
  name: string,
  retryAfterSeconds = 1,
): Status {
  return failure(
    409,
    "AlreadyExists",
    `${resourceString(gr)} ${quote(name)} already exists, the server was not able to generate a unique name for the object`,
    { name, group: gr.group, kind: gr.resource, retryAfterSeconds },
  );
}

/** 409: `Operation cannot be fulfilled on pods "x": <reason>`. */
export function conflict(gr: GroupResource, name: string, reason: string): Status {
  return failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${resourceString(gr)} ${quote(name)}: ${reason}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

/** 409 for a stale resourceVersion on update. */
export function optimisticLockConflict(gr: GroupResource, name: string): Status {
  return conflict(gr, name, OPTIMISTIC_LOCK_MESSAGE);
}

/** 400 with a free-form message. */
export function badRequest(message: string): Status {
  return failure(400, "BadRequest", message);
}

/**
 * 410 Expired: a watch or list asked for a resourceVersion the store has
 * compacted. client-go's reflector relists when it sees this.
 */
export function resourceExpired(requested: number | string, oldestKept?: number | string): Status {
  const message =
    oldestKept === undefined
      ? `too old resource version: ${requested}`
      : `too old resource version: ${requested} (${oldestKept})`;
  return failure(410, "Expired", message);
}

/** 410 Gone with a free-form message. */
export function gone(message: string): Status {
  return failure(410, "Gone", message);
}

/** 405: `create is not supported on resources of kind "nodes/proxy"`-style. */
export function methodNotSupported(gr: GroupResource, action: string): Status {
  return failure(
    405,
    "MethodNotAllowed",
    `${action} is not supported on resources of kind ${quote(resourceString(gr))}`,
    { group: gr.group, kind: gr.resource },
  );
}

/** 401. Upstream's authentication filter answers with the message `Unauthorized`. */
export function unauthorized(message = "Unauthorized"): Status {
  return failure(401, "Unauthorized", message);
}

/** 403: `pods "x" is forbidden: <reason>` (or `pods is forbidden: ...` without a name). */
export function forbidden(gr: GroupResource, name: string, reason: string): Status {
  const subject = name === "" ? resourceString(gr) : `${resourceString(gr)} ${quote(name)}`;
  return failure(403, "Forbidden", `${subject} is forbidden: ${reason}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

/** The attributes of a request that an authorizer turned down. */
export interface DeniedRequest {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/**
 * 403 worded as upstream's authorization filter words it:
 * `pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenByAuthorizer(req: DeniedRequest, why = ""): Status {
  const resource = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  let reason = `User ${quote(req.user)} cannot ${req.verb} resource ${quote(resource)} in API group ${quote(req.group)}`;
  reason += req.namespace ? ` in the namespace ${quote(req.namespace)}` : " at the cluster scope";
  if (why) reason += `: ${why}`;
  return forbidden({ group: req.group, resource: req.resource }, req.name ?? "", reason);
}

/** 413. */
export function requestEntityTooLarge(message: string): Status {
  return failure(413, "RequestEntityTooLarge", `Request entity too large: ${message}`);
}

/** 415: the request body's Content-Type is not one we decode. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): Status {
  return failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    { causes: [{ reason: "UnexpectedServerResponse", message: contentType }] },
  );
}

/** 406: nothing in the Accept header is a media type we produce. */
export function notAcceptable(accepted: readonly string[]): Status {
  return failure(
    406,
    "NotAcceptable",
    `only the following media types are accepted: ${accepted.join(", ")}`,
  );
}

/** 500 wrapping an unexpected error. */
export function internalError(cause: unknown): Status {
  const message = cause instanceof Error ? cause.message : String(cause);
  return failure(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** 504: the request took too long (e.g. a watch or a long list). */
export function timeout(message: string, retryAfterSeconds = 0): Status {
  return failure(504, "Timeout", `Timeout: ${message}`, { retryAfterSeconds });
}

/** 500 ServerTimeout: an operation could not be finished in time; try again. */
export function serverTimeout(gr: GroupResource, operation: string, retryAfterSeconds = 0): Status {
  return failure(
    500,
    "ServerTimeout",
    `The ${operation} operation against ${resourceString(gr)} could not be completed at this time, please try again.`,
    { group: gr.group, kind: gr.resource, retryAfterSeconds },
  );
}

/** 429: the server is shedding load; retry after the given seconds. */
export function tooManyRequests(
  message = "Too many requests, please try again later.",
  retryAfterSeconds = 1,
): Status {
  return failure(429, "TooManyRequests", message, { retryAfterSeconds });
}

/**
 * 422: `Deployment.apps "x" is invalid: <errors>`, with one cause per field
 * error. `message` is the aggregate of the field errors (see
 * `aggregateFieldErrors`); the causes are passed ready-made.
 */
export function invalid(
  gk: GroupKind,
  name: string,
  message: string,
  causes: StatusCause[],
): Status {
  return failure(
    422,
    "Invalid",
    `${qualifiedName(gk.kind, gk.group)} ${quote(name)} is invalid: ${message}`,
    { name, group: gk.group, kind: gk.kind, causes },
  );
}

/**
 * 422 without a kind, as upstream answers a JSON patch that does not fit
 * the object (a failed `test`, a missing path). Upstream drops the
 * patcher's own message here, and so do we: clients see only this one.
 */
export function unprocessable(): Status {
  return failure(422, "Invalid", "the server rejected our request due to an error in our request");
}

/** Go's %q for the strings we print: double quotes, escaped. */
export function quote(s: string): string {
  return JSON.stringify(s);
}
