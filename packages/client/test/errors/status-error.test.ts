import { describe, expect, it } from "vitest";
import {
  isAlreadyExists,
  isConflict,
  isGone,
  isGoneOrExpired,
  isInvalid,
  isNotFound,
  isResourceExpired,
  isTooManyRequests,
  retryAfterSeconds,
} from "../../src/errors/predicates.js";
import { StatusError, statusErrorFromResponse } from "../../src/errors/status-error.js";

const notFound = new StatusError({
  kind: "Status",
  status: "Failure",
  reason: "NotFound",
  code: 404,
  message: 'pods "web" not found',
  details: { name: "web", kind: "pods" },
});

describe("StatusError", () => {
  it("exposes reason, code, details and the server's message", () => {
    expect(notFound.reason).toBe("NotFound");
    expect(notFound.code).toBe(404);
    expect(notFound.details?.name).toBe("web");
    expect(notFound.message).toBe('pods "web" not found');
    expect(notFound.name).toBe("StatusError");
  });

  it("is recognised by reason first, and by code only when the reason is empty", () => {
    expect(isNotFound(notFound)).toBe(true);
    expect(isConflict(notFound)).toBe(false);
    // A 404 that says AlreadyExists is AlreadyExists, not NotFound.
    const odd = new StatusError({ reason: "AlreadyExists", code: 404 });
    expect(isNotFound(odd)).toBe(false);
    expect(isAlreadyExists(odd)).toBe(true);
    expect(isConflict(new StatusError({ code: 409 }))).toBe(true);
    expect(isInvalid(new StatusError({ code: 422 }))).toBe(true);
    expect(isTooManyRequests(new StatusError({ code: 429 }))).toBe(true);
  });

  it("treats Gone and Expired as re-list signals", () => {
    expect(isGone(new StatusError({ reason: "Gone", code: 410 }))).toBe(true);
    expect(isResourceExpired(new StatusError({ reason: "Expired", code: 410 }))).toBe(true);
    expect(isGoneOrExpired(new StatusError({ reason: "Expired", code: 410 }))).toBe(true);
    expect(isGone(new StatusError({ reason: "Expired", code: 410 }))).toBe(false);
  });

  it("finds a StatusError in a cause chain and ignores other errors", () => {
    const wrapped = new Error("reconcile failed", { cause: notFound });
    expect(isNotFound(wrapped)).toBe(true);
    expect(isNotFound(new Error("plain"))).toBe(false);
    expect(isNotFound("not an error")).toBe(false);
  });

  it("reads retryAfterSeconds only when positive", () => {
    expect(retryAfterSeconds(new StatusError({ details: { retryAfterSeconds: 3 } }))).toBe(3);
    expect(retryAfterSeconds(new StatusError({ details: { retryAfterSeconds: 0 } }))).toBe(
      undefined,
    );
  });

  it("synthesises a Status for a non-Status body", () => {
    const err = statusErrorFromResponse(503, "<html>down</html>\n");
    expect(err.reason).toBe("ServiceUnavailable");
    expect(err.code).toBe(503);
    expect(err.message).toBe("<html>down</html>");
  });
});
