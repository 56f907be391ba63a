import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  Protocol,
  ProxyBackendService,
  ServiceSchema,
  SyncRequestSchema,
  TrafficPolicy,
} from "../src/proxy.js";
import {
  ExtensionPoint,
  FilterRequestSchema,
  SchedulerPluginService,
  StatusCode,
} from "../src/scheduler.js";

const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decodeJson = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

describe("kubekit.scheduler.v1", () => {
  it("round-trips a batched Filter request through the binary encoding", () => {
    const request = create(FilterRequestSchema, {
      podJson: encodeJson({ metadata: { name: "web-0" } }),
      nodes: [
        { nodeJson: encodeJson({ metadata: { name: "n1" } }) },
        { nodeJson: encodeJson({ metadata: { name: "n2" } }), podsJson: [encodeJson({})] },
      ],
    });
    const decoded = fromBinary(FilterRequestSchema, toBinary(FilterRequestSchema, request));
    expect(decodeJson(decoded.podJson).metadata.name).toBe("web-0");
    expect(decoded.nodes.map((n) => decodeJson(n.nodeJson).metadata.name)).toEqual(["n1", "n2"]);
    expect(decoded.nodes[1]?.podsJson).toHaveLength(1);
  });

  it("serves an out-of-process plugin over a Connect transport", async () => {
    // A plugin that only admits nodes whose name ends in an even digit.
    const transport = createRouterTransport(({ service }) => {
      service(SchedulerPluginService, {
        getPluginInfo: () => ({
          name: "EvenNodes",
          extensionPoints: [ExtensionPoint.FILTER],
        }),
        filter: (request) => ({
          statuses: request.nodes.map((node) => {
            const name: string = decodeJson(node.nodeJson).metadata.name;
            const even = Number(name.at(-1)) % 2 === 0;
            return {
              nodeName: name,
              code: even ? StatusCode.SUCCESS : StatusCode.UNSCHEDULABLE,
              reasons: even ? [] : ["node(s) had an odd name"],
            };
          }),
        }),
        score: () => ({ scores: [] }),
      });
    });
    const client = createClient(SchedulerPluginService, transport);
    const info = await client.getPluginInfo({});
    expect(info.extensionPoints).toEqual([ExtensionPoint.FILTER]);
    const response = await client.filter({
      podJson: encodeJson({ metadata: { name: "p" } }),
      nodes: ["n1", "n2"].map((name) => ({ nodeJson: encodeJson({ metadata: { name } }) })),
    });
    expect(response.statuses.map((s) => [s.nodeName, s.code])).toEqual([
      ["n1", StatusCode.UNSCHEDULABLE],
      ["n2", StatusCode.SUCCESS],
    ]);
  });
});

describe("kubekit.proxy.v1", () => {
  it("round-trips a node's desired service state", () => {
    const service = create(ServiceSchema, {
      namespace: "default",
      name: "web",
      type: "NodePort",
      clusterIps: ["10.96.0.10"],
      externalTrafficPolicy: TrafficPolicy.LOCAL,
      ports: [
        {
          name: "http",
          protocol: Protocol.TCP,
          port: 80,
          nodePort: 30080,
          endpoints: [{ ip: "10.244.0.5", port: 8080, ready: true, serving: true, isLocal: true }],
        },
      ],
    });
    const sync = create(SyncRequestSchema, { generation: 7n, nodeName: "n1", services: [service] });
    const decoded = fromBinary(SyncRequestSchema, toBinary(SyncRequestSchema, sync));
    expect(decoded.generation).toBe(7n);
    expect(decoded.services[0]?.ports[0]?.endpoints[0]).toMatchObject({
      ip: "10.244.0.5",
      port: 8080,
      ready: true,
      isLocal: true,
    });
    expect(decoded.services[0]?.externalTrafficPolicy).toBe(TrafficPolicy.LOCAL);
  });

  it("lets a backend acknowledge the generation it applied", async () => {
    let applied = 0n;
    const transport = createRouterTransport(({ service }) => {
      service(ProxyBackendService, {
        sync: (request) => {
          applied = request.generation;
          return { appliedGeneration: applied, ruleCount: BigInt(request.services.length) };
        },
        getBackendInfo: () => ({ name: "test-backend", appliedGeneration: applied }),
      });
    });
    const client = createClient(ProxyBackendService, transport);
    const response = await client.sync({
      generation: 3n,
      services: [{ name: "a" }, { name: "b" }],
    });
    expect(response).toMatchObject({ appliedGeneration: 3n, ruleCount: 2n });
    expect((await client.getBackendInfo({})).appliedGeneration).toBe(3n);
  });
});
