import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { httpsRequest, type Json, watchEvents } from "./https-client.js";

const TOKEN = "rest-token";
const auth = { Authorization: `Bearer ${TOKEN}` };
const json = { ...auth, "Content-Type": "application/json" };
const CM_PATH = "/api/v1/namespaces/default/configmaps";

describe.each(Object.keys(BACKENDS))("REST API on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  let ca: string;
  const get = (path: string, headers: Record<string, string> = auth) =>
    httpsRequest(url + path, ca, { headers });
  const send = (
    method: string,
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = json,
  ) => httpsRequest(url + path, ca, { method, headers, body });
  const configMapNames = async () =>
    (await get(CM_PATH)).json().items.map((i: { metadata: { name: string } }) => i.metadata.name);

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([[TOKEN, { name: "tester", uid: "7", groups: [] }]]),
      bookmarkIntervalMs: 200,
    });
    url = await api.listen(0);
    ca = api.servingCert.cert;
    for (const name of ["a", "b", "c"]) {
      const created = await send(
        "POST",
        CM_PATH,
        JSON.stringify({ metadata: { name, labels: { n: name } } }),
      );
      expect(created.status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  it("serves health without a token, and 401 for anything else", async () => {
    expect((await get("/healthz", {})).text).toBe("ok");
    expect((await get("/readyz", {})).status).toBe(200);
    const anonymous = await get(CM_PATH, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    expect((await get(CM_PATH, { Authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("pages a list with limit and continue at one resourceVersion", async () => {
    const first = (await get(`${CM_PATH}?limit=2`)).json();
    expect(first.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      "a",
      "b",
    ]);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (await get(`${CM_PATH}?limit=2&continue=${first.metadata.continue}`)).json();
    expect(second.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["c"]);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.continue).toBeUndefined();
  });

  it("answers bad input with a 4xx Status and leaves the store unchanged", async () => {
    const before = await configMapNames();
    const cases: [string, () => Promise<{ status: number; text: string; json(): Json }>, number][] =
      [
        ["malformed JSON", () => send("POST", CM_PATH, '{"metadata": {'), 400],
        [
          "malformed YAML",
          () =>
            send("POST", CM_PATH, "metadata: [", { ...auth, "Content-Type": "application/yaml" }),
          400,
        ],
        ["a JSON array", () => send("POST", CM_PATH, "[]"), 400],
        [
          "an unknown resource",
          () => send("POST", "/api/v1/namespaces/default/widgets", "{}"),
          404,
        ],
        ["an unknown group", () => get("/apis/nope.example.com/v1/things"), 404],
        [
          "a bad label selector",
          () => get(`${CM_PATH}?labelSelector=${encodeURIComponent("a in (")}`),
          400,
        ],
        ["an unsupported field selector", () => get(`${CM_PATH}?fieldSelector=data.x%3Dy`), 400],
        ["a bad continue token", () => get(`${CM_PATH}?limit=1&continue=garbage`), 400],
        [
          "an invalid name",
          () => send("POST", CM_PATH, JSON.stringify({ metadata: { name: "Bad_Name" } })),
          422,
        ],
        [
          "an existing name",
          () => send("POST", CM_PATH, JSON.stringify({ metadata: { name: "a" } })),
          409,
        ],
        [
          "a missing namespace",
          () =>
            send(
              "POST",
              "/api/v1/namespaces/nowhere/configmaps",
              JSON.stringify({ metadata: { name: "x" } }),
            ),
          404,
        ],
        [
          "a protobuf body of an unknown kind",
          () =>
            send("POST", CM_PATH, Buffer.from("k8s\u0000garbage"), {
              ...auth,
              "Content-Type": "application/vnd.kubernetes.protobuf",
            }),
          400,
        ],
        [
          "an unknown body type",
          () => send("POST", CM_PATH, "x", { ...auth, "Content-Type": "text/plain" }),
          415,
        ],
        [
          "a body over 3 MiB",
          () =>
            send(
              "POST",
              CM_PATH,
              JSON.stringify({
                metadata: { name: "big" },
                data: { x: "y".repeat(3 * 1024 * 1024) },
              }),
            ),
          413,
        ],
        [
          "a malformed JSON patch",
          () =>
            send("PATCH", `${CM_PATH}/a`, "[{", {
              ...auth,
              "Content-Type": "application/json-patch+json",
            }),
          400,
        ],
        [
          "an apply without a fieldManager",
          () =>
            send("PATCH", `${CM_PATH}/a`, "{}", {
              ...auth,
              "Content-Type": "application/apply-patch+yaml",
            }),
          422,
        ],
        [
          "a patch of an unknown type",
          () =>
            send("PATCH", `${CM_PATH}/a`, "{}", {
              ...auth,
              "Content-Type": "application/x-unknown-patch+json",
            }),
          415,
        ],
        [
          "a stale resourceVersion",
          () =>
            send(
              "PUT",
              `${CM_PATH}/a`,
              JSON.stringify({ metadata: { name: "a", resourceVersion: "1" }, data: { z: "z" } }),
            ),
          409,
        ],
        [
          "a renaming update",
          () => send("PUT", `${CM_PATH}/a`, JSON.stringify({ metadata: { name: "other" } })),
          400,
        ],
        [
          "a delete precondition",
          () => send("DELETE", `${CM_PATH}/a`, JSON.stringify({ preconditions: { uid: "nope" } })),
          409,
        ],
        ["a get of a missing object", () => get(`${CM_PATH}/missing`), 404],
        ["deleting kube-system", () => send("DELETE", "/api/v1/namespaces/kube-system", ""), 403],
      ];
    // One at a time, so that each answer is the server's and not a side effect of another.
    for (const [what, request, code] of cases) {
      const res = await request();
      expect({ what, status: res.status, body: res.status === code ? "" : res.text }).toEqual({
        what,
        status: code,
        body: "",
      });
      expect(res.json()).toMatchObject({ kind: "Status", status: "Failure", code });
    }
    expect(await configMapNames()).toEqual(before);
    const a = (await get(`${CM_PATH}/a`)).json();
    expect(a.data).toBeUndefined();
  }, 60_000);

  it("watches from a resourceVersion, with bookmarks when allowed", async () => {
    const list = (await get(CM_PATH)).json();
    const rv = list.metadata.resourceVersion;
    const pending = watchEvents(
      `${url}${CM_PATH}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
      ca,
      TOKEN,
      (events) =>
        events.filter((e) => e.type !== "BOOKMARK").length >= 2 &&
        events.some((e) => e.type === "BOOKMARK"),
    );
    await new Promise((r) => setTimeout(r, 300));
    await send("PATCH", `${CM_PATH}/b`, '{"data":{"k":"v"}}', {
      ...auth,
      "Content-Type": "application/merge-patch+json",
    });
    await send("DELETE", `${CM_PATH}/c`, "");
    const events = await pending;
    const changes = events.filter((e) => e.type !== "BOOKMARK");
    expect(changes.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["MODIFIED", "b"],
      ["DELETED", "c"],
    ]);
    const bookmark = events.find((e) => e.type === "BOOKMARK");
    expect(bookmark.object).toMatchObject({ kind: "ConfigMap", apiVersion: "v1" });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    expect(changes[0].object.data).toEqual({ k: "v" });
  }, 20_000);

  it("deletes an object with a finalizer only once the finalizer is gone", async () => {
    const path = `${CM_PATH}/held`;
    await send(
      "POST",
      CM_PATH,
      JSON.stringify({ metadata: { name: "held", finalizers: ["example.com/hold"] } }),
    );
    const marked = await send("DELETE", path, "");
    expect(marked.status).toBe(202);
    expect(marked.json().metadata.deletionTimestamp).toBeDefined();
    expect((await get(path)).status).toBe(200);
    const released = await send("PATCH", path, '{"metadata":{"finalizers":null}}', {
      ...auth,
      "Content-Type": "application/merge-patch+json",
    });
    expect(released.status).toBe(200);
    expect((await get(path)).status).toBe(404);
  });

  it("writes the status subresource apart from the spec", async () => {
    const created = await send(
      "POST",
      "/api/v1/namespaces",
      JSON.stringify({ metadata: { name: "status-test" } }),
    );
    expect(created.json().status.phase).toBe("Active");
    const patched = await send(
      "PATCH",
      "/api/v1/namespaces/status-test/status",
      '{"status":{"phase":"Terminating"},"metadata":{"labels":{"x":"y"}}}',
      {
        ...auth,
        "Content-Type": "application/merge-patch+json",
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.json().status.phase).toBe("Terminating");
    const ignored = await send(
      "PATCH",
      "/api/v1/namespaces/status-test",
      '{"status":{"phase":"Active"}}',
      {
        ...auth,
        "Content-Type": "application/merge-patch+json",
      },
    );
    // A write to the main resource leaves status alone.
    expect(ignored.json().status.phase).toBe("Terminating");
  });

  it("refuses creates in a namespace once it terminates or goes, even right after creates in it", async () => {
    const ns = "lifecycle-test";
    const cms = `/api/v1/namespaces/${ns}/configmaps`;
    const create = (name: string) => send("POST", cms, JSON.stringify({ metadata: { name } }));
    expect(
      (await send("POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: ns } }))).status,
    ).toBe(201);
    expect((await create("one")).status).toBe(201);
    expect((await create("two")).status).toBe(201);
    expect((await create("two")).json()).toMatchObject({ reason: "AlreadyExists", code: 409 });
    // Accepted: the namespace turns Terminating until its finalizer is removed.
    expect((await send("DELETE", `/api/v1/namespaces/${ns}`, "")).status).toBe(202);
    const refused = await create("three");
    expect(refused.json()).toMatchObject({ reason: "Forbidden", code: 403 });
    expect(refused.json().message).toContain("because it is being terminated");
    // A taken name in a terminating namespace is refused for the namespace first, as before.
    expect((await create("one")).json()).toMatchObject({ reason: "Forbidden", code: 403 });
    const finalized = await send(
      "PUT",
      `/api/v1/namespaces/${ns}/finalize`,
      JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns }, spec: {} }),
    );
    expect(finalized.status).toBe(200);
    expect((await get(`/api/v1/namespaces/${ns}`)).status).toBe(404);
    expect((await create("four")).json()).toMatchObject({ reason: "NotFound", code: 404 });
    expect(
      (await send("POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: ns } }))).status,
    ).toBe(201);
    expect((await create("five")).status).toBe(201);
  });

  it("ends a watch after timeoutSeconds", async () => {
    const started = Date.now();
    const events = await watchEvents(
      `${url}${CM_PATH}?watch=true&timeoutSeconds=1`,
      ca,
      TOKEN,
      () => false,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.map((e) => e.type)).toContain("ADDED"); // the initial state, then the stream ends
  });

  it("never answers garbage with a 5xx", async () => {
    const segment = fc.constantFrom(
      "api",
      "apis",
      "v1",
      "apps",
      "namespaces",
      "default",
      "configmaps",
      "deployments",
      "a",
      "status",
      "scale",
      "watch",
      "%00",
      "..",
      "x".repeat(300),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
      path: fc.array(segment, { maxLength: 7 }).map((parts) => `/${parts.join("/")}`),
      query: fc.constantFrom(
        "",
        "?watch=0",
        "?limit=x",
        "?labelSelector=%3D%3D",
        "?fieldSelector=a",
        "?resourceVersion=-1&watch=1&timeoutSeconds=1",
      ),
      contentType: fc.constantFrom(
        "application/json",
        "application/yaml",
        "application/merge-patch+json",
        "application/json-patch+json",
        "application/strategic-merge-patch+json",
        "application/vnd.kubernetes.protobuf",
      ),
      body: fc.oneof(fc.string(), fc.json(), fc.constant('{"metadata":{"name":"a"}}')),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await send(r.method, r.path + r.query, r.body, {
          ...auth,
          "Content-Type": r.contentType,
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400)
          expect(res.json()).toMatchObject({ kind: "Status", code: res.status });
      }),
      { numRuns: 150, seed: 4242 },
    );
  }, 60_000);

  it("ends a watch from compacted history with a 410 ERROR event", async () => {
    // Secrets have no watch cache yet: it starts after the compaction, so the
    // old resourceVersion is older than anything it holds.
    const SECRETS = "/api/v1/namespaces/default/secrets";
    const created = await send("POST", SECRETS, JSON.stringify({ metadata: { name: "old" } }));
    const rv = created.json().metadata.resourceVersion;
    await send("DELETE", `${SECRETS}/old`, "");
    await send("POST", SECRETS, JSON.stringify({ metadata: { name: "newer" } }));
    const now = (await send("POST", CM_PATH, JSON.stringify({ metadata: { name: "now" } }))).json()
      .metadata.resourceVersion;
    await backend.compact(BigInt(now));
    const events = await watchEvents(
      `${url}${SECRETS}?watch=true&resourceVersion=${rv}`,
      ca,
      TOKEN,
      (events) => events.length >= 1,
    );
    expect(events[0]).toMatchObject({
      type: "ERROR",
      object: { kind: "Status", code: 410, reason: "Expired" },
    });
    expect(events[0].object.message).toMatch(
      new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`),
    );
    // A list that continues at a compacted revision goes to etcd, and is told so.
    const first = (await get(`${CM_PATH}?limit=1`)).json();
    await send("POST", CM_PATH, JSON.stringify({ metadata: { name: "later" } }));
    const later = (await get(`${CM_PATH}?limit=1`)).json().metadata.resourceVersion;
    await backend.compact(BigInt(later));
    const expired = await get(`${CM_PATH}?limit=1&continue=${first.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.json()).toMatchObject({ reason: "Expired" });
  }, 20_000);

  it("resumes a watch from the cache's history even after etcd compacted it, as upstream", async () => {
    const created = await send("POST", CM_PATH, JSON.stringify({ metadata: { name: "kept" } }));
    const rv = created.json().metadata.resourceVersion;
    await send("DELETE", `${CM_PATH}/kept`, "");
    const now = (await get(CM_PATH)).json().metadata.resourceVersion;
    await backend.compact(BigInt(now));
    const events = await watchEvents(
      `${url}${CM_PATH}?watch=true&resourceVersion=${rv}`,
      ca,
      TOKEN,
      (events) => events.length >= 1,
    );
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([["DELETED", "kept"]]);
  }, 20_000);
});
