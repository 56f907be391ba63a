import { describe, expect, it } from "vitest";
import { parseListOptions } from "../src/index.js";

const parse = (q: string, resource?: { group: string; resource: string }) =>
  parseListOptions(new URLSearchParams(q), resource);

describe("parseListOptions", () => {
  it("parses what kubectl and informers send", () => {
    const r = parse(
      "labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=500&resourceVersion=12&watch=true&allowWatchBookmarks=true&timeoutSeconds=300",
      {
        group: "",
        resource: "pods",
      },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.options).toMatchObject({
      watch: true,
      allowWatchBookmarks: true,
      limit: 500,
      resourceVersion: "12",
      timeoutSeconds: 300,
    });
    expect(r.options.labelSelector.toString()).toBe("app=web");
    expect(r.options.fieldSelector.requiresExactMatch("spec.nodeName")).toBe("n1");
  });

  it("takes an empty query", () => {
    const r = parse("");
    expect(r.ok && r.options.labelSelector.empty() && r.options.fieldSelector.empty()).toBe(true);
    expect(r.ok && r.options.watch).toBe(false);
  });

  it.each([
    ["labelSelector=a%3D%3D%3D", /^unable to parse requirement: found '=', expected: identifier$/],
    ["fieldSelector=nope", /^invalid selector: 'nope'; can't understand 'nope'$/],
    ["limit=ten", /invalid syntax \(limit\)$/],
    ["watch=maybe", /invalid syntax \(watch\)$/],
  ])("answers 400 for %s", (q, message) => {
    const r = parse(q);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status.code).toBe(400);
      expect(r.status.message).toMatch(message);
    }
  });

  it("limits field selectors to the resource's fields", () => {
    expect(
      parse("fieldSelector=spec.nodeName%3Dn1", { group: "", resource: "configmaps" }),
    ).toMatchObject({
      ok: false,
      status: { code: 400, message: "field label not supported: spec.nodeName" },
    });
  });

  it.each([
    [
      "resourceVersionMatch=Exact",
      "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
    ],
    [
      "resourceVersionMatch=Newest&resourceVersion=1",
      'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      "resourceVersionMatch=Exact&resourceVersion=0",
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [
      "sendInitialEvents=true",
      "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list",
    ],
    [
      "watch=true&resourceVersionMatch=NotOlderThan&resourceVersion=5",
      "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
    ],
    [
      "watch=true&sendInitialEvents=true",
      "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
    ],
  ])("answers 422 for %s", (q, detail) => {
    expect(parse(q)).toMatchObject({
      ok: false,
      status: {
        code: 422,
        reason: "Invalid",
        message: `ListOptions.meta.k8s.io "" is invalid: ${detail}`,
      },
    });
  });

  it("accepts a streaming-list watch", () => {
    const r = parse(
      "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=",
    );
    expect(r.ok && r.options.sendInitialEvents).toBe(true);
  });
});
