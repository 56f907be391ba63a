import { describe, expect, it } from "vitest";
import { negotiateOutput, parseDiscoveryPath, parseRequestInfo } from "../src/index.js";

type Row = [method: string, url: string, expected: Record<string, unknown>];

describe("parseRequestInfo", () => {
  const cases: Row[] = [
    [
      "GET",
      "/api/v1/namespaces",
      { verb: "list", resource: "namespaces", namespace: "", name: "" },
    ],
    [
      "GET",
      "/api/v1/namespaces/other",
      { verb: "get", resource: "namespaces", namespace: "other", name: "other" },
    ],
    [
      "GET",
      "/api/v1/namespaces/other/pods",
      { verb: "list", resource: "pods", namespace: "other", apiGroup: "" },
    ],
    [
      "GET",
      "/api/v1/namespaces/other/pods/foo",
      { verb: "get", resource: "pods", name: "foo", apiVersion: "v1" },
    ],
    ["HEAD", "/api/v1/namespaces/other/pods/foo", { verb: "get", name: "foo" }],
    ["GET", "/api/v1/pods", { verb: "list", namespace: "", resource: "pods" }],
    ["GET", "/api/v1/namespaces/other/pods?watch=true", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/namespaces/other/pods?watch=1", { verb: "watch" }],
    ["GET", "/api/v1/namespaces/other/pods?watch=false", { verb: "list" }],
    ["GET", "/api/v1/namespaces/other/pods?watch=yes", { verb: "watch" }],
    [
      "GET",
      "/api/v1/watch/namespaces/other/pods",
      { verb: "watch", resource: "pods", namespace: "other" },
    ],
    [
      "GET",
      "/api/v1/watch/namespaces/other/pods/foo",
      { verb: "watch", resource: "pods", name: "foo" },
    ],
    ["POST", "/api/v1/namespaces/other/pods", { verb: "create", resource: "pods", name: "" }],
    ["PUT", "/api/v1/namespaces/other/pods/foo", { verb: "update", name: "foo" }],
    ["PATCH", "/api/v1/namespaces/other/pods/foo", { verb: "patch", name: "foo" }],
    ["DELETE", "/api/v1/namespaces/other/pods/foo", { verb: "delete", name: "foo" }],
    ["DELETE", "/api/v1/namespaces/other/pods", { verb: "deletecollection", name: "" }],
    [
      "PUT",
      "/api/v1/namespaces/other/pods/foo/status",
      { verb: "update", subresource: "status", name: "foo" },
    ],
    ["GET", "/api/v1/namespaces/other/pods/foo/log", { verb: "get", subresource: "log" }],
    [
      "POST",
      "/api/v1/namespaces/other/pods/foo/eviction",
      { verb: "create", subresource: "eviction" },
    ],
    [
      "POST",
      "/api/v1/namespaces/other/pods/foo/binding",
      { verb: "create", subresource: "binding" },
    ],
    ["GET", "/api/v1/namespaces/other/pods/foo/exec", { verb: "get", subresource: "exec" }],
    // A namespace's own subresources.
    [
      "PUT",
      "/api/v1/namespaces/other/finalize",
      { verb: "update", resource: "namespaces", subresource: "finalize", name: "other" },
    ],
    [
      "PUT",
      "/api/v1/namespaces/other/status",
      { verb: "update", resource: "namespaces", subresource: "status" },
    ],
    [
      "GET",
      "/apis/apps/v1/deployments",
      {
        verb: "list",
        apiGroup: "apps",
        apiVersion: "v1",
        resource: "deployments",
        apiPrefix: "apis",
      },
    ],
    [
      "GET",
      "/apis/apps/v1/namespaces/default/deployments/web/scale",
      { verb: "get", subresource: "scale", name: "web" },
    ],
    ["GET", "/api/v1/nodes/n1", { verb: "get", resource: "nodes", name: "n1", namespace: "" }],
    [
      "PATCH",
      "/api/v1/nodes/n1/status",
      { verb: "patch", resource: "nodes", subresource: "status" },
    ],
    // Proxy keeps the rest of the path as parts, never as a subresource.
    [
      "GET",
      "/api/v1/proxy/namespaces/other/pods/foo/some/path",
      { verb: "proxy", resource: "pods", name: "foo", subresource: "" },
    ],
    // A list with an exact metadata.name field selector names the object.
    [
      "GET",
      "/api/v1/namespaces/other/pods?fieldSelector=metadata.name%3Dfoo",
      { verb: "list", name: "foo" },
    ],
    [
      "GET",
      "/api/v1/namespaces/other/pods?fieldSelector=metadata.name%21%3Dfoo",
      { verb: "list", name: "" },
    ],
  ];
  it.each(cases)("%s %s", (method, url, expected) => {
    const u = new URL(url, "https://x");
    const result = parseRequestInfo({ method, path: u.pathname, query: u.searchParams });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.info.isResourceRequest).toBe(true);
      expect(result.info).toMatchObject(expected);
    }
  });

  it.each([
    ["GET", "/api"],
    ["GET", "/api/v1"],
    ["GET", "/apis"],
    ["GET", "/apis/apps"],
    ["GET", "/apis/apps/v1"],
    ["GET", "/healthz"],
    ["GET", "/version"],
    ["GET", "/"],
  ])("treats %s %s as a non-resource request", (method, path) => {
    const result = parseRequestInfo({ method, path });
    expect(result).toMatchObject({
      ok: true,
      info: { isResourceRequest: false, verb: method.toLowerCase(), path },
    });
  });

  it("takes the query as a plain record too", () => {
    const result = parseRequestInfo({
      method: "GET",
      path: "/api/v1/pods",
      query: { watch: ["true"] },
    });
    expect(result).toMatchObject({ ok: true, info: { verb: "watch" } });
  });

  it("rejects a special verb with nothing after it", () => {
    const result = parseRequestInfo({ method: "GET", path: "/api/v1/watch" });
    expect(result).toEqual({
      ok: false,
      message: "unable to determine kind and namespace from url, /api/v1/watch",
    });
  });
});

describe("parseDiscoveryPath", () => {
  it.each([
    ["/api", { kind: "legacy-versions" }],
    ["/api/v1", { kind: "resources", group: "", version: "v1" }],
    ["/apis", { kind: "groups" }],
    ["/apis/apps", { kind: "group", group: "apps" }],
    ["/apis/apps/v1/", { kind: "resources", group: "apps", version: "v1" }],
    ["/apis/apps/v1/deployments", undefined],
    ["/healthz", undefined],
  ])("%s", (path, expected) => {
    expect(parseDiscoveryPath(path)).toEqual(expected);
  });
});

describe("negotiateOutput", () => {
  // What kubectl 1.32 sends for `kubectl get pods` and for discovery.
  const kubectlGet =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  const kubectlDiscovery =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

  it("serves a Table to kubectl get", () => {
    expect(negotiateOutput(kubectlGet)).toEqual({ kind: "table", version: "v1" });
  });
  it("serves aggregated discovery v2 to kubectl", () => {
    expect(negotiateOutput(kubectlDiscovery, true)).toEqual({ kind: "aggregated-discovery" });
  });
  it("falls back to plain discovery when only v2beta1 is offered", () => {
    expect(
      negotiateOutput(
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
        true,
      ),
    ).toEqual({ kind: "object" });
  });
  it("serves objects without an Accept header or with */*", () => {
    expect(negotiateOutput(undefined)).toEqual({ kind: "object" });
    expect(negotiateOutput("*/*")).toEqual({ kind: "object" });
  });
  it("serves partial object metadata lists", () => {
    expect(
      negotiateOutput("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
    ).toEqual({
      kind: "partial-object-metadata",
      list: true,
      version: "v1",
    });
  });
  it("refuses what it cannot produce", () => {
    expect(negotiateOutput("text/html")).toBeUndefined();
    expect(negotiateOutput("application/json;as=Table;g=meta.k8s.io;v=v9")).toBeUndefined();
  });
  it("honours quality values", () => {
    expect(
      negotiateOutput("application/json;q=0.5,application/json;as=Table;g=meta.k8s.io;v=v1"),
    ).toEqual({
      kind: "table",
      version: "v1",
    });
  });
});
