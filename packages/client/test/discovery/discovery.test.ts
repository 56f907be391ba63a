import { afterEach, describe, expect, it } from "vitest";
import { DiscoveryClient } from "../../src/discovery/discovery-client.js";
import { NoMatchError, RestMapper } from "../../src/discovery/rest-mapper.js";
import { HttpClient } from "../../src/rest/http-client.js";
import { type FakeServer, json, startFakeServer } from "../support/fake-server.js";

let server: FakeServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  http?.close();
  await server?.close();
});

const res = (name: string, kind: string, namespaced: boolean, extra: object = {}) => ({
  name,
  kind,
  namespaced,
  singularName: "",
  verbs: ["get", "list", "watch"],
  ...extra,
});

async function setup() {
  const state = { gizmos: false };
  server = await startFakeServer((req, response) => {
    const routes: Record<string, unknown> = {
      "/api": { kind: "APIVersions", versions: ["v1"] },
      "/apis": {
        kind: "APIGroupList",
        groups: [
          {
            name: "apps",
            versions: [{ groupVersion: "apps/v1", version: "v1" }],
            preferredVersion: { groupVersion: "apps/v1", version: "v1" },
          },
          {
            name: "example.com",
            versions: [
              { groupVersion: "example.com/v1", version: "v1" },
              { groupVersion: "example.com/v1beta1", version: "v1beta1" },
            ],
            preferredVersion: { groupVersion: "example.com/v1", version: "v1" },
          },
        ],
      },
      "/api/v1": {
        groupVersion: "v1",
        resources: [
          res("pods", "Pod", true, { singularName: "pod", shortNames: ["po"] }),
          res("pods/status", "Pod", true),
          res("nodes", "Node", false, { shortNames: ["no"] }),
        ],
      },
      "/apis/apps/v1": {
        groupVersion: "apps/v1",
        resources: [res("deployments", "Deployment", true, { shortNames: ["deploy"] })],
      },
      "/apis/example.com/v1": {
        groupVersion: "example.com/v1",
        resources: [
          res("widgets", "Widget", true),
          ...(state.gizmos ? [res("gizmos", "Gizmo", false)] : []),
          // A custom "pods" that must not shadow the core group's.
          res("pods", "Pod", true),
        ],
      },
      "/apis/example.com/v1beta1": {
        groupVersion: "example.com/v1beta1",
        resources: [res("widgets", "Widget", true), res("gadgets", "Gadget", true)],
      },
    };
    const body = routes[req.url];
    if (body === undefined) {
      json(response, 404, { kind: "Status", reason: "NotFound", code: 404 });
    } else {
      json(response, 200, body);
    }
  });
  http = new HttpClient({ server: server.url, tls: {}, auth: {} });
  const discovery = new DiscoveryClient(http);
  return { state, discovery, mapper: new RestMapper(discovery) };
}

describe("discovery and the REST mapper", () => {
  it("lists groups with the core group first, and every top-level resource", async () => {
    const { discovery } = await setup();
    expect((await discovery.serverGroups()).map((g) => g.name)).toEqual([
      "",
      "apps",
      "example.com",
    ]);
    const resources = await discovery.resources();
    expect(resources.map((r) => `${r.group}/${r.version}/${r.resource}`).sort()).toEqual([
      "/v1/nodes",
      "/v1/pods",
      "apps/v1/deployments",
      "example.com/v1/pods",
      "example.com/v1/widgets",
      "example.com/v1beta1/gadgets",
      "example.com/v1beta1/widgets",
    ]);
    const requests = server?.seen.length;
    await discovery.resources();
    expect(server?.seen.length).toBe(requests);
  });

  it("maps kinds, objects and kubectl-style names to resources", async () => {
    const { mapper } = await setup();
    expect(await mapper.resourceFor({ group: "apps", kind: "Deployment" })).toEqual({
      group: "apps",
      version: "v1",
      resource: "deployments",
      namespaced: true,
    });
    expect(
      await mapper.resourceForObject({ apiVersion: "example.com/v1beta1", kind: "Widget" }),
    ).toMatchObject({ version: "v1beta1", resource: "widgets" });
    expect(await mapper.resourceForObject({ apiVersion: "v1", kind: "Node" })).toMatchObject({
      group: "",
      resource: "nodes",
      namespaced: false,
    });
    expect(await mapper.resourceForName("po")).toMatchObject({ group: "", resource: "pods" });
    expect(await mapper.resourceForName("pods")).toMatchObject({ group: "" });
    expect(await mapper.resourceForName("pods.example.com")).toMatchObject({
      group: "example.com",
    });
    expect(await mapper.resourceForName("Deploy")).toMatchObject({ resource: "deployments" });
    await expect(mapper.resourceForName("gadgets")).rejects.toBeInstanceOf(NoMatchError);
  });

  it("refreshes discovery once on a miss, so new CRDs are found", async () => {
    const { state, mapper } = await setup();
    await expect(mapper.resourceFor({ group: "example.com", kind: "Gizmo" })).rejects.toThrow(
      /no resource for kind Gizmo/,
    );
    state.gizmos = true;
    expect(await mapper.resourceFor({ group: "example.com", kind: "Gizmo" })).toMatchObject({
      resource: "gizmos",
      namespaced: false,
    });
  });
});
