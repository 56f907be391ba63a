import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir } from "@kubekit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { SharedInformer, waitForCacheSync } from "../../src/cache/shared-informer.js";
import { realClock } from "../../src/clock/clock.js";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { isNotFound } from "../../src/errors/predicates.js";
import { StatusError } from "../../src/errors/status-error.js";
import { Resources } from "../../src/meta/resources.js";
import type { KubeObject, WatchEvent } from "../../src/meta/types.js";
import { createDynamicClient, listerWatcherFor } from "../../src/rest/dynamic-client.js";
import { HttpClient } from "../../src/rest/http-client.js";
import { type FakeServer, json, startFakeServer } from "../support/fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pod = (name: string, rv: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", resourceVersion: rv },
});

describe("HttpClient against a local server", () => {
  it("sends authenticated JSON requests and parses responses", async () => {
    server = await startFakeServer((_req, res) => json(res, 200, pod("web", "5")));
    const client = createDynamicClient({
      server: server.url,
      tls: {},
      auth: { bearerToken: "abc" },
    });
    const got = await client.resource(Resources.pods).namespace("default").get("web");
    expect(got.metadata?.resourceVersion).toBe("5");
    expect(server.seen[0]?.url).toBe("/api/v1/namespaces/default/pods/web");
    expect(server.seen[0]?.headers.authorization).toBe("Bearer abc");
    expect(server.seen[0]?.headers.accept).toBe("application/json");
    client.close();
  });

  it("turns a Status body into a typed error, and a non-Status body into a synthesised one", async () => {
    server = await startFakeServer((req, res) => {
      if (req.url.endsWith("/missing")) {
        json(res, 404, { kind: "Status", status: "Failure", reason: "NotFound", message: "gone" });
      } else {
        res.writeHead(502);
        res.end("<html>bad gateway</html>");
      }
    });
    const pods = createDynamicClient({ server: server.url, tls: {}, auth: {} })
      .resource(Resources.pods)
      .namespace("default");
    const missing = await pods.get("missing").catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
    expect((missing as StatusError).code).toBe(404);
    const bad = await pods.get("x").catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StatusError);
    expect((bad as StatusError).code).toBe(502);
    expect((bad as StatusError).message).toBe("<html>bad gateway</html>");
  });

  it("streams watch events written in odd chunks, and stops quietly on abort", async () => {
    const lines = [
      { type: "ADDED", object: pod("a", "2") },
      { type: "BOOKMARK", object: { kind: "Pod", metadata: { resourceVersion: "3" } } },
    ]
      .map((e) => JSON.stringify(e))
      .join("\n");
    server = await startFakeServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // Split mid-line, then keep the stream open like an idle watch.
      res.write(lines.slice(0, 17));
      await new Promise((r) => setTimeout(r, 10));
      res.write(`${lines.slice(17)}\n`);
    });
    const pods = createDynamicClient({ server: server.url, tls: {}, auth: {} }).resource(
      Resources.pods,
    );
    const stop = new AbortController();
    const seen: WatchEvent[] = [];
    for await (const event of pods.watch(
      { resourceVersion: "1", allowWatchBookmarks: true },
      stop.signal,
    )) {
      seen.push(event);
      if (seen.length === 2) {
        stop.abort();
      }
    }
    expect(seen.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK"]);
    expect(server.seen[0]?.url).toBe(
      "/api/v1/pods?watch=1&resourceVersion=1&allowWatchBookmarks=true",
    );
  });

  it("re-reads a bearer token file after a minute", async () => {
    const dir = await makeTempDir("client-token");
    try {
      const tokenFile = join(dir.path, "token");
      await writeFile(tokenFile, "one\n");
      server = await startFakeServer((_req, res) => json(res, 200, {}));
      const clock = new FakeClock();
      const http = new HttpClient(
        { server: server.url, tls: {}, auth: { bearerTokenFile: tokenFile } },
        { clock },
      );
      await http.request({ method: "GET", path: "/api" });
      await writeFile(tokenFile, "two\n");
      await http.request({ method: "GET", path: "/api" });
      clock.step(60_000);
      await http.request({ method: "GET", path: "/api" });
      expect(server.seen.map((r) => r.headers.authorization)).toEqual([
        "Bearer one",
        "Bearer one",
        "Bearer two",
      ]);
      http.close();
    } finally {
      await dir.remove();
    }
  });

  it("feeds an informer: list, then watch from the list's version", async () => {
    server = await startFakeServer(async (req, res) => {
      if (!req.url.includes("watch=1")) {
        json(res, 200, {
          kind: "PodList",
          metadata: { resourceVersion: "10" },
          items: [pod("a", "9")],
        });
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`${JSON.stringify({ type: "ADDED", object: pod("b", "11") })}\n`);
    });
    const client = createDynamicClient({ server: server.url, tls: {}, auth: {} });
    const informer = new SharedInformer<KubeObject>({
      listerWatcher: listerWatcherFor(client.resource(Resources.pods), { labelSelector: "app=x" }),
      clock: realClock,
    });
    const added: string[] = [];
    const gotB = new Promise<void>((resolve) =>
      informer.addEventHandler({
        onAdd: (o) => {
          added.push(o.metadata?.name ?? "");
          if (o.metadata?.name === "b") resolve();
        },
      }),
    );
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    expect(await waitForCacheSync(stop.signal, informer)).toBe(true);
    await gotB;
    stop.abort();
    await running;
    expect(added).toEqual(["a", "b"]);
    expect(server.seen[0]?.url).toBe(
      "/api/v1/pods?labelSelector=app%3Dx&limit=500&resourceVersion=0",
    );
    expect(server.seen[1]?.url).toMatch(
      /^\/api\/v1\/pods\?watch=1&labelSelector=app%3Dx&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=\d+$/,
    );
    client.close();
  });
});
