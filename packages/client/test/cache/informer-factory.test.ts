import { afterEach, describe, expect, it } from "vitest";
import { SharedInformerFactory } from "../../src/cache/informer-factory.js";
import { realClock } from "../../src/clock/clock.js";
import { Resources } from "../../src/meta/resources.js";
import type { KubeObject } from "../../src/meta/types.js";
import { createDynamicClient } from "../../src/rest/dynamic-client.js";
import { type FakeServer, json, startFakeServer } from "../support/fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe("SharedInformerFactory", () => {
  it("shares one informer per resource, scoped to the namespace, with the transform applied", async () => {
    server = await startFakeServer((req, res) => {
      if (req.url.includes("watch=1")) {
        res.writeHead(200, { "content-type": "application/json" });
        return; // an idle watch
      }
      const kind = req.url.includes("/pods") ? "Pod" : "ConfigMap";
      json(res, 200, {
        metadata: { resourceVersion: "3" },
        items: [
          {
            kind,
            metadata: { name: "x", namespace: "team", managedFields: [{ manager: "kubectl" }] },
          },
        ],
      });
    });
    const client = createDynamicClient({ server: server.url, tls: {}, auth: {} });
    const factory = new SharedInformerFactory(client, {
      clock: realClock,
      namespace: "team",
      transform: <T extends KubeObject>(obj: T): T => {
        const { managedFields: _dropped, ...metadata } = obj.metadata ?? {};
        return { ...obj, metadata };
      },
    });
    const pods = factory.informerFor(Resources.pods);
    expect(factory.informerFor(Resources.pods)).toBe(pods);
    const configMaps = factory.informerFor(Resources.configMaps);
    const stop = new AbortController();
    factory.start(stop.signal);
    expect(await factory.waitForCacheSync(stop.signal)).toBe(true);
    expect(pods.lister().namespace("team").get("x")?.metadata).toEqual({
      name: "x",
      namespace: "team",
    });
    expect(configMaps.lister().list()).toHaveLength(1);
    const lists = server.seen
      .filter((r) => !r.url.includes("watch=1"))
      .map((r) => r.url.split("?")[0]);
    expect(lists.sort()).toEqual([
      "/api/v1/namespaces/team/configmaps",
      "/api/v1/namespaces/team/pods",
    ]);
    stop.abort();
    await factory.shutdown();
    client.close();
  });
});
