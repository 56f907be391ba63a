import { request } from "node:https";
import { createStore } from "@kubekit/store-raft";
import { freePort } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/index.js";
import { httpsRequest } from "./https-client.js";

// What the apiserver answers for pods/log, exec and attach before any
// kubelet is reached (the happy path runs end to end in the kubelet
// package, with kubectl, our kubelet and containerd).
describe("pods/log, pods/exec and pods/attach errors", () => {
  let store: ReturnType<typeof createStore>;
  let api: ApiServer;
  let url: string;
  let deadPort: number;
  const auth = { Authorization: "Bearer admin" };

  const post = (path: string, body: unknown) =>
    httpsRequest(`${url}${path}`, api.servingCert.cert, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const get = (path: string, headers: Record<string, string> = auth) =>
    httpsRequest(`${url}${path}`, api.servingCert.cert, { headers });

  /** Sends an upgrade request as kubectl's SPDY executor does, and reads the refusal. */
  const upgrade = (path: string, headers: Record<string, string> = auth) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}${path}`, {
        method: "POST",
        ca: api.servingCert.cert,
        headers: {
          ...headers,
          Connection: "Upgrade",
          Upgrade: "SPDY/3.1",
          "X-Stream-Protocol-Version": "v4.channel.k8s.io",
        },
      });
      req.on("upgrade", () => reject(new Error("upgraded")));
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    store = createStore();
    api = await createApiServer({
      etcdTransport: store.transport,
      tokens: new Map([["admin", { name: "admin", uid: "1", groups: ["system:masters"] }]]),
    });
    url = await api.listen(0);
    deadPort = await freePort();
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "main", image: "busybox" }] },
    });
    expect((await post("/api/v1/namespaces/default/pods", pod("unbound"))).status).toBe(201);
    expect((await post("/api/v1/namespaces/default/pods", pod("orphan", "gone"))).status).toBe(201);
    expect((await post("/api/v1/namespaces/default/pods", pod("down", "node-down"))).status).toBe(
      201,
    );
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "node-down" },
      status: {
        addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
        daemonEndpoints: { kubeletEndpoint: { Port: deadPort } },
      },
    };
    expect((await post("/api/v1/nodes", node)).status).toBe(201);
    const patched = await httpsRequest(
      `${url}/api/v1/nodes/node-down/status`,
      api.servingCert.cert,
      {
        method: "PATCH",
        headers: { ...auth, "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ status: node.status }),
      },
    );
    expect(patched.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await store?.close();
  });

  it("refuses logs of a pod not scheduled, on a missing node, or for a container it lacks", async () => {
    const unbound = await get("/api/v1/namespaces/default/pods/unbound/log");
    expect(unbound.status).toBe(400);
    expect(unbound.json().message).toBe("pod unbound does not have a host assigned");
    const orphan = await get("/api/v1/namespaces/default/pods/orphan/log");
    expect(orphan.status).toBe(404);
    expect(orphan.json().message).toBe('nodes "gone" not found');
    const wrong = await get("/api/v1/namespaces/default/pods/down/log?container=other");
    expect(wrong.json()).toMatchObject({
      code: 400,
      message: "container other is not valid for pod down",
    });
    expect((await get("/api/v1/namespaces/default/pods/nobody/log")).json()).toMatchObject({
      code: 404,
      message: 'pods "nobody" not found',
    });
    expect((await get("/api/v1/namespaces/default/pods/down/log", {})).status).toBe(401);
  });

  it("answers 500 when the node's kubelet does not answer", async () => {
    const down = await get("/api/v1/namespaces/default/pods/down/log");
    expect(down.status).toBe(500);
    expect(down.json().message).toMatch(/ECONNREFUSED/);
  });

  it("needs an upgrade for exec and attach, and refuses bad upgrades with a Status", async () => {
    const plain = await post(
      "/api/v1/namespaces/default/pods/down/exec?command=ls&stdout=true",
      {},
    );
    expect(plain.json()).toMatchObject({ code: 400, message: "Upgrade request required" });
    const anonymous = await upgrade("/api/v1/namespaces/default/pods/down/exec?command=ls", {});
    expect(anonymous.status).toBe(401);
    const unbound = await upgrade("/api/v1/namespaces/default/pods/unbound/attach?stdout=true");
    expect(JSON.parse(unbound.body)).toMatchObject({
      code: 400,
      message: "pod unbound does not have a host assigned",
    });
    const elsewhere = await upgrade("/api/v1/namespaces/default/configmaps/x");
    expect(elsewhere.status).toBe(404);
    const down = await upgrade("/api/v1/namespaces/default/pods/down/exec?command=ls&stdout=1");
    expect(down.status).toBe(500);
  });
});
