import { describe, expect, it } from "vitest";
import {
  alreadyExists,
  badRequest,
  conflict,
  forbiddenByAuthorizer,
  generateNameConflict,
  internalError,
  isStatus,
  methodNotSupported,
  notAcceptable,
  notFound,
  optimisticLockConflict,
  requestEntityTooLarge,
  resourceExpired,
  success,
  timeout,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from "../src/index.js";

const pods = { group: "", resource: "pods" };
const deployments = { group: "apps", resource: "deployments" };

describe("Status builders", () => {
  it.each([
    [notFound(pods, "x"), 404, "NotFound", 'pods "x" not found'],
    [notFound(deployments, "web"), 404, "NotFound", 'deployments.apps "web" not found'],
    [alreadyExists(pods, "x"), 409, "AlreadyExists", 'pods "x" already exists'],
    [
      generateNameConflict(pods, "x-abcde"),
      409,
      "AlreadyExists",
      'pods "x-abcde" already exists, the server was not able to generate a unique name for the object',
    ],
    [
      optimisticLockConflict(pods, "x"),
      409,
      "Conflict",
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    ],
    [
      conflict(deployments, "web", "StorageError: invalid object"),
      409,
      "Conflict",
      'Operation cannot be fulfilled on deployments.apps "web": StorageError: invalid object',
    ],
    [badRequest("bad"), 400, "BadRequest", "bad"],
    [resourceExpired(5, 10), 410, "Expired", "too old resource version: 5 (10)"],
    [
      methodNotSupported({ group: "", resource: "pods/log" }, "create"),
      405,
      "MethodNotAllowed",
      'create is not supported on resources of kind "pods/log"',
    ],
    [unauthorized(), 401, "Unauthorized", "Unauthorized"],
    [
      requestEntityTooLarge("limit is 3145728"),
      413,
      "RequestEntityTooLarge",
      "Request entity too large: limit is 3145728",
    ],
    [
      unsupportedMediaType("text/plain", ["application/json", "application/yaml"]),
      415,
      "UnsupportedMediaType",
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
    ],
    [
      notAcceptable(["application/json"]),
      406,
      "NotAcceptable",
      "only the following media types are accepted: application/json",
    ],
    [internalError(new Error("boom")), 500, "InternalError", "Internal error occurred: boom"],
    [
      timeout("request did not complete within 60s", 2),
      504,
      "Timeout",
      "Timeout: request did not complete within 60s",
    ],
    [tooManyRequests(), 429, "TooManyRequests", "Too many requests, please try again later."],
  ] as const)("%#: %s", (status, code, reason, message) => {
    expect(status).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      code,
      reason,
      message,
    });
    expect(isStatus(status)).toBe(true);
  });

  it("carries details kubectl reads", () => {
    expect(notFound(deployments, "web").details).toEqual({
      name: "web",
      group: "apps",
      kind: "deployments",
    });
    // Go omits the empty group of the core group.
    expect(notFound(pods, "x").details).toEqual({ name: "x", kind: "pods" });
    expect(tooManyRequests("slow down", 3).details).toEqual({ retryAfterSeconds: 3 });
    expect(internalError("x").details).toEqual({ causes: [{ message: "x" }] });
    expect(badRequest("x").details).toBeUndefined();
  });

  it("words authorizer denials as upstream does", () => {
    expect(
      forbiddenByAuthorizer({
        user: "bob",
        verb: "list",
        group: "",
        resource: "pods",
        namespace: "default",
      }).message,
    ).toBe(
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(
      forbiddenByAuthorizer({
        user: "bob",
        verb: "get",
        group: "",
        resource: "nodes",
        subresource: "status",
        name: "n1",
      }).message,
    ).toBe(
      'nodes "n1" is forbidden: User "bob" cannot get resource "nodes/status" in API group "" at the cluster scope',
    );
  });

  it("builds a success Status", () => {
    expect(success({ name: "x", kind: "pods", uid: "u" })).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      code: 200,
      details: { name: "x", kind: "pods", uid: "u" },
    });
  });
});
