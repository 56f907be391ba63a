import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestLabels } from "../../src/metrics/request-labels.js";
import { parseRequestInfo } from "../../src/request/request-info.js";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { httpsRequest } from "../server/https-client.js";
import { BACKENDS, type Backend } from "../storage/backends.js";

const info = (method: string, path: string) => {
  const parsed = parseRequestInfo({
    method,
    path,
    query: new URL(`https://x${path}`).searchParams,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.info;
};

describe("request labels", () => {
  it("names verbs and scopes as upstream's metrics do", () => {
    expect(requestLabels(info("GET", "/api/v1/namespaces/a/pods"), "GET", undefined)).toEqual({
      verb: "LIST",
      group: "",
      version: "v1",
      resource: "pods",
      subresource: "",
      scope: "namespace",
      component: "apiserver",
    });
    expect(
      requestLabels(info("GET", "/apis/apps/v1/deployments?watch=1"), "GET", undefined),
    ).toMatchObject({
      verb: "WATCH",
      group: "apps",
      scope: "cluster",
    });
    expect(
      requestLabels(
        info("PATCH", "/apis/apps/v1/namespaces/a/deployments/d/scale"),
        "PATCH",
        "application/apply-patch+yaml",
      ),
    ).toMatchObject({ verb: "APPLY", subresource: "scale", scope: "resource" });
    expect(
      requestLabels(info("DELETE", "/api/v1/namespaces/a/configmaps"), "DELETE", undefined).verb,
    ).toBe("DELETECOLLECTION");
    expect(requestLabels(info("GET", "/healthz"), "GET", undefined)).toMatchObject({
      verb: "GET",
      resource: "",
    });
  });
});

describe.each(Object.keys(BACKENDS))("/metrics on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  const auth = { Authorization: "Bearer m-token" };
  const get = (path: string, headers: Record<string, string> = auth) =>
    httpsRequest(url + path, api.servingCert.cert, { headers });

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([["m-token", { name: "watcher", uid: "1", groups: [] }]]),
    });
    url = await api.listen(0);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  it("needs authentication", async () => {
    expect((await get("/metrics", {})).status).toBe(401);
    expect((await get("/livez", {})).status).toBe(200);
    expect((await get("/readyz", {})).status).toBe(200);
  });

  it("counts requests by verb, resource and code, times them, and exposes process metrics", async () => {
    expect((await get("/api/v1/namespaces/default/configmaps")).status).toBe(200);
    expect((await get("/api/v1/namespaces/default/configmaps/nope")).status).toBe(404);
    // A response is counted when it closes, just after the client has it.
    await eventually("the requests to be counted", async () => {
      const text = (await get("/metrics")).text;
      expect(text).toContain(
        'apiserver_request_total{verb="LIST",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",dry_run="",code="200"} 1',
      );
      expect(text).toContain(
        'apiserver_request_total{verb="GET",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",dry_run="",code="404"} 1',
      );
      return true;
    });
    const res = await get("/metrics");
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /apiserver_request_duration_seconds_count\{verb="LIST",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",dry_run=""\} 1/,
    );
    expect(res.text).toContain("process_cpu_seconds_total");
    expect(res.text).toContain("nodejs_heap_size_used_bytes");
  });

  it("gauges open watches", async () => {
    const { request } = await import("node:https");
    const watch = request(`${url}/api/v1/namespaces/default/configmaps?watch=1`, {
      headers: auth,
      ca: api.servingCert.cert,
    });
    watch.on("error", () => {});
    watch.end();
    const gauge =
      'apiserver_longrunning_requests{verb="WATCH",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver"}';
    await eventually("the watch gauge at 1", async () => {
      expect((await get("/metrics")).text).toContain(`${gauge} 1`);
      return true;
    });
    watch.destroy();
    await eventually("the watch gauge at 0", async () => {
      expect((await get("/metrics")).text).toContain(`${gauge} 0`);
      return true;
    });
  });
});
