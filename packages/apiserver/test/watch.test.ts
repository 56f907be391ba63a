import { describe, expect, it } from "vitest";
import {
  bookmarkEvent,
  errorEvent,
  type KubeObject,
  listPredicate,
  parseListOptions,
  resourceExpired,
  watchEventFor,
} from "../src/index.js";

const pod = (labels: Record<string, string>, phase = "Running", namespace = "d"): KubeObject => ({
  kind: "Pod",
  metadata: { name: "p", namespace, labels, resourceVersion: "1" },
  status: { phase },
});

function predicate(query: string, namespace = "") {
  const r = parseListOptions(new URLSearchParams(query), { group: "", resource: "pods" });
  if (!r.ok) throw new Error(r.status.message);
  return listPredicate({ group: "", resource: "pods" }, r.options, namespace);
}

describe("listPredicate", () => {
  it("combines namespace, labels and fields", () => {
    const p = predicate("labelSelector=app%3Dweb&fieldSelector=status.phase%21%3DFailed", "d");
    expect(p(pod({ app: "web" }))).toBe(true);
    expect(p(pod({ app: "db" }))).toBe(false);
    expect(p(pod({ app: "web" }, "Failed"))).toBe(false);
    expect(p(pod({ app: "web" }, "Running", "other"))).toBe(false);
  });
});

describe("watchEventFor", () => {
  const web = predicate("labelSelector=app%3Dweb");
  const a = pod({ app: "web" });
  const b = pod({ app: "web", v: "2" });
  const gone = pod({ app: "db" });

  it.each([
    ["create that matches", { next: a }, "ADDED"],
    ["create that does not match", { next: gone }, undefined],
    ["update that keeps matching", { prev: a, next: b }, "MODIFIED"],
    ["update that starts matching", { prev: gone, next: a }, "ADDED"],
    ["update that stops matching", { prev: a, next: gone }, "DELETED"],
    ["update never matching", { prev: gone, next: gone }, undefined],
    ["delete of a matching object", { prev: a }, "DELETED"],
    ["delete of another object", { prev: gone }, undefined],
  ])("%s", (_, change, type) => {
    expect(watchEventFor({ ...change, resourceVersion: "7" }, web)?.type).toBe(type);
  });

  it("sends the last matching state, at the new resourceVersion, when an object leaves", () => {
    const event = watchEventFor({ prev: a, next: gone, resourceVersion: "7" }, web);
    expect(event?.object).toMatchObject({
      metadata: { labels: { app: "web" }, resourceVersion: "7" },
    });
    expect(a.metadata?.resourceVersion).toBe("1");
  });
});

describe("special events", () => {
  it("bookmarks carry only a resourceVersion, and mark the end of initial events", () => {
    expect(bookmarkEvent("v1", "Pod", "42")).toEqual({
      type: "BOOKMARK",
      object: { apiVersion: "v1", kind: "Pod", metadata: { resourceVersion: "42" } },
    });
    expect(bookmarkEvent("v1", "Pod", "42", true).object.metadata).toEqual({
      resourceVersion: "42",
      annotations: { "k8s.io/initial-events-end": "true" },
    });
  });
  it("errors carry a Status", () => {
    expect(errorEvent(resourceExpired(3))).toMatchObject({
      type: "ERROR",
      object: { code: 410, reason: "Expired" },
    });
  });
});
