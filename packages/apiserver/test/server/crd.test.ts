import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { WIDGET_CRD } from "../crd/fixtures.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { httpsRequest, type Json, watchEvents } from "./https-client.js";

const TOKEN = "crd-token";
const auth = { Authorization: `Bearer ${TOKEN}` };
const json = { ...auth, "Content-Type": "application/json" };
const merge = { ...auth, "Content-Type": "application/merge-patch+json" };
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

const widget = (name: string, spec: Json, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name, labels },
    spec,
  });

describe.each(Object.keys(BACKENDS))("CustomResourceDefinitions on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  let ca: string;
  const get = (path: string, headers: Record<string, string> = auth) =>
    httpsRequest(url + path, ca, { headers });
  const send = (
    method: string,
    path: string,
    body: string,
    headers: Record<string, string> = json,
  ) => httpsRequest(url + path, ca, { method, headers, body });
  const established = (name: string) =>
    eventually(`CRD ${name} established`, async () => {
      const crd = (await get(`${CRDS}/${name}`)).json();
      const ok = crd.status?.conditions?.some(
        (c: Json) => c.type === "Established" && c.status === "True",
      );
      return ok ? crd : undefined;
    });

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([[TOKEN, { name: "tester", uid: "7", groups: [] }]]),
    });
    url = await api.listen(0);
    ca = api.servingCert.cert;
    const created = await send("POST", CRDS, JSON.stringify(WIDGET_CRD));
    expect(created.status).toBe(201);
    await established("widgets.example.com");
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  it("sets the CRD's status and serves its resources in discovery", async () => {
    const crd = await established("widgets.example.com");
    expect(crd.status.acceptedNames).toMatchObject({ plural: "widgets", kind: "Widget" });
    expect(crd.status.storedVersions).toEqual(["v1"]);
    expect(crd.status.conditions.map((c: Json) => c.type)).toEqual([
      "NamesAccepted",
      "Established",
    ]);
    const groups = (await get("/apis")).json();
    expect(groups.groups.map((g: Json) => g.name)).toContain("example.com");
    expect((await get("/apis/example.com")).json().preferredVersion.version).toBe("v1");
    const resources = (await get("/apis/example.com/v1")).json().resources;
    expect(resources.map((r: Json) => r.name)).toEqual([
      "widgets",
      "widgets/scale",
      "widgets/status",
    ]);
    expect(resources[0]).toMatchObject({ kind: "Widget", namespaced: true, shortNames: ["wd"] });
    const aggregated = (await get("/apis", { ...auth, Accept: AGGREGATED })).json();
    const group = aggregated.items.find((g: Json) => g.metadata.name === "example.com");
    expect(group.versions[0].resources[0]).toMatchObject({
      resource: "widgets",
      scope: "Namespaced",
    });
  });

  it("refuses an invalid CRD with upstream's messages", async () => {
    const bad = structuredClone(WIDGET_CRD) as Json;
    bad.metadata.name = "things.example.com";
    bad.spec.versions[0].storage = false;
    const res = await send("POST", CRDS, JSON.stringify(bad));
    expect(res.status).toBe(422);
    expect(res.json().message).toContain(
      'metadata.name: Invalid value: "things.example.com": must be spec.names.plural+"."+spec.group',
    );
    expect(res.json().message).toContain("must have exactly one version marked as storage version");
  });

  it("creates, prunes, defaults and validates custom resources", async () => {
    const created = await send(
      "POST",
      WIDGETS,
      widget("w1", { color: "red", junk: 1 }, { app: "a" }),
    );
    expect(created.status).toBe(201);
    const w1 = created.json();
    expect(w1.spec).toEqual({ color: "red", replicas: 1 });
    expect(w1.metadata.generation).toBe(1);
    const invalid = await send("POST", WIDGETS, widget("w2", { color: "red", replicas: "three" }));
    expect(invalid.status).toBe(422);
    expect(invalid.json()).toMatchObject({
      reason: "Invalid",
      message:
        'Widget.example.com "w2" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      details: {
        name: "w2",
        group: "example.com",
        kind: "Widget",
        causes: [
          {
            reason: "FieldValueTypeInvalid",
            field: "spec.replicas",
            message:
              'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
          },
        ],
      },
    });
    const strict = await send(
      "POST",
      `${WIDGETS}?fieldValidation=Strict`,
      widget("w3", { color: "red", foo: 1 }),
    );
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.foo"',
    );
    const warned = await send(
      "POST",
      `${WIDGETS}?fieldValidation=Warn`,
      widget("w3", { color: "blue", foo: 1 }),
    );
    expect(warned.status).toBe(201);
    expect(String(warned.headers.warning)).toBe('299 - "unknown field \\"spec.foo\\""');
  });

  it("lists with selectors and pages, and watches", async () => {
    await send("POST", WIDGETS, widget("w4", { color: "green" }, { app: "b" }));
    const selected = (await get(`${WIDGETS}?labelSelector=app%3Da`)).json();
    expect(selected.kind).toBe("WidgetList");
    expect(selected.items.map((i: Json) => i.metadata.name)).toEqual(["w1"]);
    const page = (await get(`${WIDGETS}?limit=1`)).json();
    expect(page.items).toHaveLength(1);
    const rest = (
      await get(`${WIDGETS}?limit=10&continue=${encodeURIComponent(page.metadata.continue)}`)
    ).json();
    expect(rest.items.length).toBeGreaterThanOrEqual(2);
    const all = (await get("/apis/example.com/v1/widgets")).json();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const rv = page.metadata.resourceVersion;
    const events = watchEvents(
      `${url}${WIDGETS}?watch=true&resourceVersion=${rv}&timeoutSeconds=20`,
      ca,
      TOKEN,
      (evs) => evs.some((e) => e.object?.metadata?.name === "w5"),
    );
    await send("POST", WIDGETS, widget("w5", { color: "green" }));
    const seen = await events;
    expect(seen.find((e) => e.object.metadata.name === "w5")).toMatchObject({ type: "ADDED" });
  });

  it("patches with merge and JSON patch, refuses strategic merge patch with 415", async () => {
    const merged = await send(
      "PATCH",
      `${WIDGETS}/w1`,
      JSON.stringify({ spec: { replicas: 3 } }),
      merge,
    );
    expect(merged.status).toBe(200);
    expect(merged.json().spec.replicas).toBe(3);
    expect(merged.json().metadata.generation).toBe(2);
    const jsonPatched = await send(
      "PATCH",
      `${WIDGETS}/w1`,
      JSON.stringify([{ op: "replace", path: "/spec/color", value: "blue" }]),
      { ...auth, "Content-Type": "application/json-patch+json" },
    );
    expect(jsonPatched.json().spec.color).toBe("blue");
    const strategic = await send("PATCH", `${WIDGETS}/w1`, "{}", {
      ...auth,
      "Content-Type": "application/strategic-merge-patch+json",
    });
    expect(strategic.status).toBe(415);
    expect(strategic.json().reason).toBe("UnsupportedMediaType");
    const invalid = await send(
      "PATCH",
      `${WIDGETS}/w1`,
      JSON.stringify({ spec: { replicas: 99 } }),
      merge,
    );
    expect(invalid.status).toBe(422);
    expect(invalid.json().message).toContain(
      "spec.replicas in body should be less than or equal to 10",
    );
  });

  it("keeps status and spec apart with the status subresource", async () => {
    const before = (await get(`${WIDGETS}/w1`)).json();
    const mainWrite = await send(
      "PATCH",
      `${WIDGETS}/w1`,
      JSON.stringify({ status: { phase: "Ignored" }, metadata: { labels: { x: "y" } } }),
      merge,
    );
    expect(mainWrite.json().status).toBeUndefined();
    expect(mainWrite.json().metadata.generation).toBe(before.metadata.generation);
    const statusWrite = await send(
      "PATCH",
      `${WIDGETS}/w1/status`,
      JSON.stringify({
        status: { phase: "Ready", replicas: 2, selector: "app=a" },
        spec: { replicas: 7 },
      }),
      merge,
    );
    expect(statusWrite.status).toBe(200);
    expect(statusWrite.json().status.phase).toBe("Ready");
    expect(statusWrite.json().spec.replicas).toBe(before.spec.replicas);
    expect(statusWrite.json().metadata.generation).toBe(before.metadata.generation);
  });

  it("serves scale through the CRD's paths", async () => {
    const scale = (await get(`${WIDGETS}/w1/scale`)).json();
    expect(scale).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 3 },
      status: { replicas: 2, selector: "app=a" },
    });
    const scaled = await send(
      "PATCH",
      `${WIDGETS}/w1/scale`,
      JSON.stringify({ spec: { replicas: 5 } }),
      merge,
    );
    expect(scaled.status).toBe(200);
    expect(scaled.json().spec.replicas).toBe(5);
    expect((await get(`${WIDGETS}/w1`)).json().spec.replicas).toBe(5);
    const tooMany = await send(
      "PATCH",
      `${WIDGETS}/w1/scale`,
      JSON.stringify({ spec: { replicas: 50 } }),
      merge,
    );
    expect(tooMany.status).toBe(422);
  });

  it("prints the printer columns as a Table", async () => {
    const table = (await get(WIDGETS, { ...auth, Accept: TABLE })).json();
    expect(table.columnDefinitions.map((c: Json) => c.name)).toEqual(["Name", "Replicas", "Color"]);
    const row = table.rows.find((r: Json) => r.object.metadata.name === "w1");
    expect(row.cells).toEqual(["w1", 5, "blue"]);
    const crds = (await get(CRDS, { ...auth, Accept: TABLE })).json();
    expect(crds.columnDefinitions.map((c: Json) => c.name)).toEqual(["Name", "Created At"]);
  });

  it("serves a version added later, and keeps scope and group immutable", async () => {
    const current = (await get(`${CRDS}/widgets.example.com`)).json();
    const beta = { ...structuredClone(current.spec.versions[0]), name: "v1beta1", storage: false };
    const updated = await send(
      "PATCH",
      `${CRDS}/widgets.example.com`,
      JSON.stringify([{ op: "add", path: "/spec/versions/-", value: beta }]),
      { ...auth, "Content-Type": "application/json-patch+json" },
    );
    expect(updated.status).toBe(200);
    const w1 = await eventually("w1 at v1beta1", async () => {
      const res = await get("/apis/example.com/v1beta1/namespaces/default/widgets/w1");
      return res.status === 200 ? res.json() : undefined;
    });
    expect(w1.apiVersion).toBe("example.com/v1beta1");
    expect((await get("/apis/example.com")).json().preferredVersion.version).toBe("v1");
    const rescoped = await send(
      "PATCH",
      `${CRDS}/widgets.example.com`,
      JSON.stringify({ spec: { scope: "Cluster" } }),
      merge,
    );
    expect(rescoped.status).toBe(422);
    expect(rescoped.json().message).toContain(
      'spec.scope: Invalid value: "Cluster": field is immutable',
    );
  });

  it("deletes the custom resources with their CRD, and stops serving them", async () => {
    const cluster = structuredClone(WIDGET_CRD) as Json;
    cluster.metadata.name = "gizmos.example.org";
    cluster.spec.group = "example.org";
    cluster.spec.scope = "Cluster";
    cluster.spec.names = { plural: "gizmos", kind: "Gizmo" };
    expect((await send("POST", CRDS, JSON.stringify(cluster))).status).toBe(201);
    await established("gizmos.example.org");
    const gizmos = "/apis/example.org/v1/gizmos";
    const made = await send(
      "POST",
      gizmos,
      JSON.stringify({
        apiVersion: "example.org/v1",
        kind: "Gizmo",
        metadata: { name: "g1" },
        spec: { color: "red" },
      }),
    );
    expect(made.status).toBe(201);
    expect(made.json().metadata.namespace).toBeUndefined();
    const deleted = await send("DELETE", `${CRDS}/gizmos.example.org`, "");
    expect(deleted.status).toBeLessThan(300);
    await eventually("CRD gone", async () =>
      (await get(`${CRDS}/gizmos.example.org`)).status === 404 ? true : undefined,
    );
    expect((await get(gizmos)).status).toBe(404);
    expect((await get("/apis/example.org/v1")).status).toBe(404);
    // A new CRD of the same name starts empty: the old objects were deleted.
    expect((await send("POST", CRDS, JSON.stringify(cluster))).status).toBe(201);
    await established("gizmos.example.org");
    expect((await get(gizmos)).json().items).toEqual([]);
  });

  it("keeps a deleted CRD terminating while its objects have finalizers, and refuses creates", async () => {
    const crd = structuredClone(WIDGET_CRD) as Json;
    crd.metadata.name = "sprockets.example.net";
    crd.spec.group = "example.net";
    crd.spec.names = { plural: "sprockets", kind: "Sprocket" };
    expect((await send("POST", CRDS, JSON.stringify(crd))).status).toBe(201);
    await established("sprockets.example.net");
    const path = "/apis/example.net/v1/namespaces/default/sprockets";
    const body = (name: string) =>
      JSON.stringify({
        apiVersion: "example.net/v1",
        kind: "Sprocket",
        metadata: { name, finalizers: ["example.net/hold"] },
        spec: { color: "red" },
      });
    expect((await send("POST", path, body("s1"))).status).toBe(201);
    expect((await send("DELETE", `${CRDS}/sprockets.example.net`, "")).status).toBeLessThan(300);
    const terminating = await eventually("CRD terminating", async () => {
      const got = (await get(`${CRDS}/sprockets.example.net`)).json();
      return got.status?.conditions?.some((c: Json) => c.type === "Terminating") ? got : undefined;
    });
    expect(terminating.metadata.finalizers).toEqual(["customresourcecleanup.apiextensions.k8s.io"]);
    const refused = await send("POST", path, body("s2"));
    expect(refused.status).toBe(405);
    expect(refused.json().message).toBe(
      "create not allowed while custom resource definition is terminating",
    );
    const s1 = await eventually("s1 marked deleted", async () => {
      const got = (await get(`${path}/s1`)).json();
      return got.metadata?.deletionTimestamp ? got : undefined;
    });
    expect(s1.metadata.finalizers).toEqual(["example.net/hold"]);
    await send("PATCH", `${path}/s1`, JSON.stringify({ metadata: { finalizers: null } }), merge);
    await eventually("CRD gone", async () =>
      (await get(`${CRDS}/sprockets.example.net`)).status === 404 ? true : undefined,
    );
  });
});
