import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { StatusError } from "../../src/errors/status-error.js";
import { Resources } from "../../src/meta/resources.js";
import { HttpClient } from "../../src/rest/http-client.js";
import { queryString, resourcePath } from "../../src/rest/paths.js";
import { buildRequest } from "../../src/rest/request.js";
import { ResourceClient } from "../../src/rest/resource-client.js";

const config = { server: "https://10.0.0.1:6443/prefix/", tls: {}, auth: {} };

describe("resourcePath", () => {
  it("builds core, grouped, namespaced, cluster-scoped and subresource paths", () => {
    expect(resourcePath(Resources.pods)).toBe("/api/v1/pods");
    expect(resourcePath(Resources.pods, { namespace: "default", name: "web" })).toBe(
      "/api/v1/namespaces/default/pods/web",
    );
    expect(
      resourcePath(Resources.deployments, { namespace: "ns", name: "d", subresource: "status" }),
    ).toBe("/apis/apps/v1/namespaces/ns/deployments/d/status");
    expect(resourcePath(Resources.nodes, { namespace: "ignored", name: "n1" })).toBe(
      "/api/v1/nodes/n1",
    );
    expect(resourcePath(Resources.pods, { namespace: "a b", name: "x/y" })).toBe(
      "/api/v1/namespaces/a%20b/pods/x%2Fy",
    );
    expect(() => resourcePath(Resources.pods, { name: "" })).toThrow(/must not be empty/);
    expect(() => resourcePath(Resources.pods, { subresource: "status" })).toThrow(
      /needs an object/,
    );
  });

  it("renders query strings skipping undefined values", () => {
    expect(queryString({ a: undefined })).toBe("");
    expect(queryString({ labelSelector: "app in (a,b)", limit: 5, watch: true })).toBe(
      "?labelSelector=app+in+%28a%2Cb%29&limit=5&watch=true",
    );
  });
});

describe("buildRequest", () => {
  it("keeps the server's path prefix and sets JSON and bearer headers", () => {
    const req = buildRequest(
      config,
      { method: "POST", path: "/api/v1/pods", body: { a: 1 } },
      "t0k",
    );
    expect(req.url.href).toBe("https://10.0.0.1:6443/prefix/api/v1/pods");
    expect(req.headers).toEqual({
      accept: "application/json",
      authorization: "Bearer t0k",
      "content-type": "application/json",
    });
    expect(req.body).toBe('{"a":1}');
  });

  it("uses basic auth when there is no token", () => {
    const req = buildRequest(
      { ...config, auth: { username: "u", password: "p" }, userAgent: "kubekit-test" },
      { method: "GET", path: "/api" },
      undefined,
    );
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
    expect(req.headers["user-agent"]).toBe("kubekit-test");
    expect(req.body).toBeUndefined();
  });
});

describe("ResourceClient request building", () => {
  /** Captures what the client would send instead of sending it. */
  function capture() {
    const http = new HttpClient(
      { server: "http://127.0.0.1:1", tls: {}, auth: { bearerToken: "tok" } },
      { clock: new FakeClock() },
    );
    const sent: Array<{ method: string; path: string; body?: unknown; contentType?: string }> = [];
    http.request = async (spec) => {
      sent.push(spec);
      return {} as never;
    };
    return { http, sent };
  }

  it("adds list, write and patch parameters and the right content types", async () => {
    const { http, sent } = capture();
    const pods = new ResourceClient(http, Resources.pods).namespace("default");
    await pods.list({ labelSelector: "app=web", fieldSelector: "spec.nodeName=n1", limit: 10 });
    await pods.list({ continue: "abc", resourceVersion: "0" });
    await pods.create({ metadata: { name: "p" } }, { dryRun: true, fieldManager: "me" });
    await pods.patch("p", "merge", { metadata: { labels: { a: "b" } } });
    await pods.patch("p", "apply", { kind: "Pod" }, { fieldManager: "me", force: true });
    await pods.patch("p", "json", [{ op: "remove", path: "/x" }], { subresource: "status" });
    await pods.updateStatus({ metadata: { name: "p", resourceVersion: "7" } });
    await pods.delete("p", { propagationPolicy: "Foreground", preconditions: { uid: "u1" } });
    await pods.createSubresource("p", "binding", { target: { kind: "Node", name: "n1" } });
    expect(sent.at(-1)?.body).toEqual({ target: { kind: "Node", name: "n1" } });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /api/v1/namespaces/default/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=10",
      "GET /api/v1/namespaces/default/pods?continue=abc&resourceVersion=0",
      "POST /api/v1/namespaces/default/pods?dryRun=All&fieldManager=me",
      "PATCH /api/v1/namespaces/default/pods/p",
      "PATCH /api/v1/namespaces/default/pods/p?fieldManager=me&force=true",
      "PATCH /api/v1/namespaces/default/pods/p/status",
      "PUT /api/v1/namespaces/default/pods/p/status",
      "DELETE /api/v1/namespaces/default/pods/p",
      "POST /api/v1/namespaces/default/pods/p/binding",
    ]);
    expect(sent.map((s) => s.contentType)).toEqual([
      undefined,
      undefined,
      undefined,
      "application/merge-patch+json",
      "application/apply-patch+yaml",
      "application/json-patch+json",
      undefined,
      undefined,
      undefined,
    ]);
    expect(sent[7]?.body).toEqual({
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy: "Foreground",
      preconditions: { uid: "u1" },
    });
  });

  it("applies server-side in the object's own namespace", async () => {
    const { http, sent } = capture();
    await new ResourceClient(http, Resources.configMaps).apply(
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "ns" } },
      { fieldManager: "me", force: true },
    );
    expect(sent[0]).toMatchObject({
      method: "PATCH",
      path: "/api/v1/namespaces/ns/configmaps/c?fieldManager=me&force=true",
      contentType: "application/apply-patch+yaml",
    });
  });

  it("takes the namespace from the object, and refuses missing or conflicting ones", async () => {
    const { http, sent } = capture();
    const pods = new ResourceClient(http, Resources.pods);
    await pods.create({ metadata: { name: "p", namespace: "kube-system" } });
    expect(sent[0]?.path).toBe("/api/v1/namespaces/kube-system/pods");
    await pods.list();
    expect(sent[1]?.path).toBe("/api/v1/pods");
    expect(() => pods.get("p")).toThrow(/namespaced; give a namespace/);
    expect(() => pods.namespace("a").create({ metadata: { name: "p", namespace: "b" } })).toThrow(
      /namespace "b"/,
    );
    expect(() => new ResourceClient(http, Resources.nodes).namespace("x")).toThrow(
      /cluster-scoped/,
    );
    expect(() => pods.patch("p", "apply", {})).toThrow(/fieldManager/);
  });
});

describe("ResourceClient.listAll and deleteCollection", () => {
  it("follows continue tokens, and falls back to one full list when a token expires", async () => {
    const http = new HttpClient({ server: "http://127.0.0.1:1", tls: {}, auth: {} });
    const paths: string[] = [];
    const pages: Record<string, unknown> = {
      "/api/v1/pods?labelSelector=a%3Db&limit=2": {
        metadata: { continue: "t1" },
        items: [{ metadata: { name: "1" } }, { metadata: { name: "2" } }],
      },
      "/api/v1/pods?labelSelector=a%3Db&limit=2&continue=t1": {
        metadata: { resourceVersion: "9" },
        items: [{ metadata: { name: "3" } }],
      },
    };
    http.request = async (spec) => {
      paths.push(spec.path);
      const page = pages[spec.path];
      if (!page) throw new StatusError({ reason: "Expired", code: 410 });
      return page as never;
    };
    const pods = new ResourceClient(http, Resources.pods);
    const all = await pods.listAll({ labelSelector: "a=b", pageSize: 2 });
    expect(all.items.map((p) => p.metadata?.name)).toEqual(["1", "2", "3"]);
    expect(all.metadata?.resourceVersion).toBe("9");

    pages["/api/v1/pods?labelSelector=a%3Db&limit=2"] = {
      metadata: { continue: "stale" },
      items: [],
    };
    pages["/api/v1/pods?labelSelector=a%3Db"] = {
      metadata: {},
      items: [{ metadata: { name: "x" } }],
    };
    const fallback = await pods.listAll({ labelSelector: "a=b", pageSize: 2 });
    expect(fallback.items.map((p) => p.metadata?.name)).toEqual(["x"]);
    expect(paths.at(-1)).toBe("/api/v1/pods?labelSelector=a%3Db");
  });

  it("deletes a collection by selector", async () => {
    const http = new HttpClient({ server: "http://127.0.0.1:1", tls: {}, auth: {} });
    const sent: Array<{ method: string; path: string; body?: unknown }> = [];
    http.request = async (spec) => {
      sent.push(spec);
      return {} as never;
    };
    await new ResourceClient(http, Resources.pods)
      .namespace("ns")
      .deleteCollection({ labelSelector: "app=web" }, { propagationPolicy: "Background" });
    expect(sent[0]).toMatchObject({
      method: "DELETE",
      path: "/api/v1/namespaces/ns/pods?labelSelector=app%3Dweb",
      body: { kind: "DeleteOptions", propagationPolicy: "Background" },
    });
  });
});
