import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { httpsRequest, type Json } from "../server/https-client.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { countingRanges } from "./counting-transport.js";
import { type OpenWatch, openWatch } from "./watch-stream-client.js";

const TOKEN = "cache-token";
const auth = { Authorization: `Bearer ${TOKEN}` };
const json = { ...auth, "Content-Type": "application/json" };
const merge = { ...auth, "Content-Type": "application/merge-patch+json" };
const NS = "/api/v1/namespaces/default";

describe.each(Object.keys(BACKENDS))("the watch cache on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  let ca: string;
  let fullRanges: () => number;
  const watches: OpenWatch[] = [];
  const get = (path: string) => httpsRequest(url + path, ca, { headers: auth });
  const send = (method: string, path: string, body: string, headers = json) =>
    httpsRequest(url + path, ca, { method, headers, body });
  const watch = (path: string, paused = false) => {
    const w = openWatch(url + path, ca, TOKEN, paused);
    watches.push(w);
    return w;
  };
  const watchersOn = (resource: string) =>
    api.watchCache.stats().find((s) => s.prefix === `/registry/core/${resource}/`)?.watchers ?? 0;
  const changes = (w: OpenWatch) => w.events.filter((e: Json) => e.type !== "BOOKMARK");

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    const counting = countingRanges(backend.transport);
    fullRanges = counting.fullRanges;
    api = await createApiServer({
      etcdTransport: counting.transport,
      tokens: new Map([[TOKEN, { name: "tester", uid: "7", groups: [] }]]),
      watchCache: { watcherBufferSize: 8 },
    });
    url = await api.listen(0);
    ca = api.servingCert.cert;
  }, 60_000);

  afterAll(async () => {
    for (const w of watches) w.close();
    await api?.close();
    await backend?.stop();
  });

  it("holds ONE etcd watch for 200 client watches of a resource, and feeds them all", async () => {
    const before = await backend.watcherCount();
    // kube-public: empty, unlike default, which holds the `kubernetes` service's endpoints.
    const EMPTY_NS = "/api/v1/namespaces/kube-public";
    const clients = Array.from({ length: 200 }, () => watch(`${EMPTY_NS}/endpoints?watch=true`));
    await eventually(
      "200 watchers on the endpoints cache",
      async () => (watchersOn("endpoints") === 200 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    expect(await backend.watcherCount()).toBe(before + 1);
    const created = await send(
      "POST",
      `${EMPTY_NS}/endpoints`,
      JSON.stringify({ metadata: { name: "fan" } }),
    );
    expect(created.status).toBe(201);
    await eventually(
      "every watcher to see the new endpoints",
      async () => (clients.every((c) => changes(c).length === 1) ? true : undefined),
      { timeoutMs: 60_000 },
    );
    for (const c of clients)
      expect(changes(c).map((e: Json) => [e.type, e.object.metadata.name])).toEqual([
        ["ADDED", "fan"],
      ]);
    for (const c of clients) c.close();
    await eventually("the watchers to leave", async () =>
      watchersOn("endpoints") === 0 ? true : undefined,
    );
    // The cache keeps its own etcd watch for the next client.
    expect(await backend.watcherCount()).toBe(before + 1);
  }, 120_000);

  it("resumes a watch from an exact resourceVersion with exactly the events after it", async () => {
    const path = `${NS}/configmaps`;
    // The cache starts on first use; history before that is not in it.
    expect((await get(`${path}?resourceVersion=0`)).status).toBe(200);
    const rvs: string[] = [];
    const created = await send("POST", path, JSON.stringify({ metadata: { name: "resume" } }));
    rvs.push(created.json().metadata.resourceVersion);
    for (let i = 1; i <= 5; i++) {
      const res = await send(
        "PATCH",
        `${path}/resume`,
        JSON.stringify({ data: { n: String(i) } }),
        merge,
      );
      rvs.push(res.json().metadata.resourceVersion);
    }
    const w = watch(`${path}?watch=true&resourceVersion=${rvs[2]}`);
    await send("POST", path, JSON.stringify({ metadata: { name: "marker" } }));
    await eventually("the marker", async () =>
      changes(w).some((e: Json) => e.object.metadata.name === "marker") ? true : undefined,
    );
    expect(
      changes(w).map((e: Json) => [
        e.type,
        e.object.metadata.name,
        e.object.metadata.resourceVersion,
      ]),
    ).toEqual([
      ["MODIFIED", "resume", rvs[3]],
      ["MODIFIED", "resume", rvs[4]],
      ["MODIFIED", "resume", rvs[5]],
      ["ADDED", "marker", expect.any(String)],
    ]);
    expect(changes(w)[0].object.data).toEqual({ n: "3" });
  }, 30_000);

  it("keeps each object's changes in order for every watcher", async () => {
    const path = `${NS}/secrets`;
    const names = ["s0", "s1", "s2"];
    const clients = Array.from({ length: 20 }, () => watch(`${path}?watch=true&resourceVersion=0`));
    await eventually("20 watchers on secrets", async () =>
      watchersOn("secrets") >= 20 ? true : undefined,
    );
    await Promise.all(
      names.map((name) => send("POST", path, JSON.stringify({ metadata: { name } }))),
    );
    const ROUNDS = 10;
    for (let round = 1; round <= ROUNDS; round++) {
      // The three objects change at once: the store decides their order.
      await Promise.all(
        names.map((name) =>
          send(
            "PATCH",
            `${path}/${name}`,
            JSON.stringify({
              stringData: {},
              data: { n: Buffer.from(String(round)).toString("base64") },
            }),
            merge,
          ),
        ),
      );
    }
    const total = names.length * (ROUNDS + 1);
    await eventually(
      "every watcher to see every change",
      async () => (clients.every((c) => changes(c).length >= total) ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const reference = changes(clients[0]!).map((e: Json) => e.object.metadata.resourceVersion);
    for (const c of clients) {
      const events = changes(c);
      expect(events.length).toBe(total);
      // Everyone sees the same sequence, in revision order...
      expect(events.map((e: Json) => e.object.metadata.resourceVersion)).toEqual(reference);
      const revisions = events.map((e: Json) => Number(e.object.metadata.resourceVersion));
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      // ...and each object's rounds one after another.
      for (const name of names) {
        const rounds = events
          .filter((e: Json) => e.object.metadata.name === name && e.type === "MODIFIED")
          .map((e: Json) => Number(Buffer.from(e.object.data.n, "base64").toString()));
        expect(rounds).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
      }
    }
  }, 90_000);

  it("closes a watcher that does not read once its buffer overflows, without holding up the others", async () => {
    const path = `${NS}/configmaps`;
    await send("POST", path, JSON.stringify({ metadata: { name: "busy" } }));
    const slow = watch(
      `${path}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dbusy`,
      true,
    );
    const fast = watch(`${path}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dbusy`);
    await eventually("both watchers on configmaps", async () =>
      watchersOn("configmaps") >= 2 ? true : undefined,
    );
    const watchersBefore = watchersOn("configmaps");
    // Big updates fill the slow client's socket; then 8 more events overflow its buffer.
    const big = "x".repeat(64 * 1024);
    let last = "";
    let written = 0;
    for (; written < 400 && watchersOn("configmaps") === watchersBefore; written++) {
      const res = await send(
        "PATCH",
        `${path}/busy`,
        JSON.stringify({ data: { big, n: String(written) } }),
        merge,
      );
      expect(res.status).toBe(200);
      last = res.json().metadata.resourceVersion;
    }
    expect(watchersOn("configmaps")).toBe(watchersBefore - 1);
    // The server dropped it: reading what reached it, the client finds the stream cut short.
    slow.resume();
    await slow.ended;
    expect(changes(slow).length).toBeLessThan(written);
    await eventually(
      "the reading watcher to get every update",
      async () =>
        changes(fast).some((e: Json) => e.object.metadata.resourceVersion === last)
          ? true
          : undefined,
      { timeoutMs: 60_000 },
    );
    const ns = changes(fast)
      .filter((e: Json) => e.type === "MODIFIED")
      .map((e: Json) => Number(e.object.data.n));
    expect(ns).toEqual(Array.from({ length: written }, (_, i) => i));
  }, 120_000);

  it("serves lists with resourceVersion 0 and consistent lists from the cache, selectors applied", async () => {
    const path = `${NS}/serviceaccounts`;
    for (const [name, tier] of [
      ["sa-a", "web"],
      ["sa-b", "db"],
      ["sa-c", "web"],
    ])
      await send("POST", path, JSON.stringify({ metadata: { name, labels: { tier } } }));
    await get(`${path}?resourceVersion=0`); // starts the cache
    await eventually("the serviceaccounts cache", async () =>
      api.watchCache
        .stats()
        .some((s) => s.prefix === "/registry/core/serviceaccounts/" && s.objects === 3)
        ? true
        : undefined,
    );
    const names = (res: { json(): Json }) => res.json().items.map((i: Json) => i.metadata.name);

    let reads = fullRanges();
    const cached = await get(`${path}?resourceVersion=0&labelSelector=tier%3Dweb`);
    expect(names(cached)).toEqual(["sa-a", "sa-c"]);
    const byField = await get(`${path}?resourceVersion=0&fieldSelector=metadata.name%21%3Dsa-a`);
    expect(names(byField)).toEqual(["sa-b", "sa-c"]);
    expect(fullRanges() - reads).toBe(0);

    // A consistent list right after a write to this resource: the cache has it.
    await send(
      "POST",
      path,
      JSON.stringify({ metadata: { name: "sa-d", labels: { tier: "web" } } }),
    );
    reads = fullRanges();
    expect(names(await get(`${path}?labelSelector=tier%3Dweb`))).toEqual(["sa-a", "sa-c", "sa-d"]);
    expect(fullRanges() - reads).toBe(0);

    // After a write elsewhere, the cache must learn it is current: store-raft
    // answers a progress request in order; etcd 3.4.23 may not, so that list reads etcd.
    await send("POST", `${NS}/secrets`, JSON.stringify({ metadata: { name: "elsewhere" } }));
    reads = fullRanges();
    expect(names(await get(path))).toEqual(["sa-a", "sa-b", "sa-c", "sa-d"]);
    expect(fullRanges() - reads).toBe(backendName === "etcd" ? 1 : 0);

    // Pages go to etcd and stay correct.
    reads = fullRanges();
    const first = (await get(`${path}?limit=2`)).json();
    const second = (await get(`${path}?limit=2&continue=${first.metadata.continue}`)).json();
    expect([...first.items, ...second.items].map((i: Json) => i.metadata.name)).toEqual([
      "sa-a",
      "sa-b",
      "sa-c",
      "sa-d",
    ]);
    expect(fullRanges() - reads).toBe(2);
  }, 60_000);

  it("answers a watch from a resourceVersion the store has not reached with 504 Too large", async () => {
    const list = (await get(`${NS}/configmaps`)).json();
    const future = Number(list.metadata.resourceVersion) + 1000;
    const res = await get(`${NS}/configmaps?watch=true&resourceVersion=${future}`);
    expect(res.status).toBe(504);
    expect(res.json()).toMatchObject({
      reason: "Timeout",
      details: { causes: [{ reason: "ResourceVersionTooLarge" }] },
    });
    expect(res.json().message).toContain(`Too large resource version: ${future}`);
  }, 30_000);
});
