import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { httpsRequest } from "./https-client.js";

const TOKEN = "binding-token";
const json = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const PODS = "/api/v1/namespaces/default/pods";

const binding = (name: string, node: string, kind = "Node") =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Binding",
    metadata: { name, namespace: "default" },
    target: { apiVersion: "v1", kind, name: node },
  });

describe("POST pods/NAME/binding", () => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  let ca: string;
  const send = (method: string, path: string, body?: string) =>
    httpsRequest(url + path, ca, { method, headers: json, ...(body ? { body } : {}) });

  beforeAll(async () => {
    backend = await BACKENDS["store-raft"]!();
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([[TOKEN, { name: "tester", uid: "1", groups: ["system:masters"] }]]),
    });
    url = await api.listen(0);
    ca = api.servingCert.cert;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  it("binds an unbound pod once, then answers 409", async () => {
    const pod = { metadata: { name: "web" }, spec: { containers: [{ name: "c", image: "x" }] } };
    expect((await send("POST", PODS, JSON.stringify(pod))).status).toBe(201);

    const bound = await send("POST", `${PODS}/web/binding`, binding("web", "n1"));
    expect(bound.status).toBe(201);
    expect(bound.json()).toMatchObject({ kind: "Status", status: "Success" });
    const got = (await send("GET", `${PODS}/web`)).json();
    expect(got.spec.nodeName).toBe("n1");
    expect(got.status.conditions).toContainEqual(
      expect.objectContaining({ type: "PodScheduled", status: "True" }),
    );

    const again = await send("POST", `${PODS}/web/binding`, binding("web", "n2"));
    expect(again.status).toBe(409);
    expect((await send("GET", `${PODS}/web`)).json().spec.nodeName).toBe("n1");
  });

  it("rejects a target that is not a Node, and a missing pod", async () => {
    const pod = { metadata: { name: "api" }, spec: { containers: [{ name: "c", image: "x" }] } };
    expect((await send("POST", PODS, JSON.stringify(pod))).status).toBe(201);
    expect((await send("POST", `${PODS}/api/binding`, binding("api", "n1", "Pod"))).status).toBe(
      422,
    );
    expect((await send("POST", `${PODS}/nope/binding`, binding("nope", "n1"))).status).toBe(404);
    expect((await send("GET", `${PODS}/api/binding`)).status).toBe(404);
  });
});
