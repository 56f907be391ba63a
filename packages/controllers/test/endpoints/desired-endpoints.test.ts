import { describe, expect, it } from "vitest";
import type { Service } from "../../src/common/service.js";
import type { Pod, PodPhase } from "../../src/common/types.js";
import { desiredEndpointsLabels, desiredSubsets } from "../../src/endpoints/index.js";

const service = (spec: Service["spec"] = {}): Service => ({
  metadata: { name: "web", namespace: "default", labels: { app: "web" } },
  spec: {
    selector: { app: "web" },
    ports: [{ name: "http", port: 80, targetPort: "http" }],
    ...spec,
  },
});

const pod = (
  name: string,
  opts: {
    ip?: string;
    ready?: boolean;
    phase?: PodPhase;
    labels?: Record<string, string>;
    port?: number;
    deleting?: boolean;
    hostname?: string;
  } = {},
): Pod => ({
  metadata: {
    name,
    namespace: "default",
    uid: `uid-${name}`,
    labels: opts.labels ?? { app: "web" },
    ...(opts.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
  },
  spec: {
    nodeName: "node-1",
    ...(opts.hostname ? { hostname: opts.hostname, subdomain: "web" } : {}),
    containers: [{ name: "c", ports: [{ name: "http", containerPort: opts.port ?? 8080 }] }],
  },
  status: {
    phase: opts.phase ?? "Running",
    ...(opts.ip === undefined
      ? { podIP: `10.0.0.${name.length}` }
      : opts.ip
        ? { podIP: opts.ip }
        : {}),
    conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }],
  },
});

describe("desiredSubsets (what the endpoints controller publishes)", () => {
  it("splits ready and not-ready pods and resolves named target ports", () => {
    const subsets = desiredSubsets(service(), [
      pod("a", { ip: "10.0.0.2" }),
      pod("b", { ip: "10.0.0.1", ready: false }),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [
          {
            ip: "10.0.0.2",
            nodeName: "node-1",
            targetRef: { kind: "Pod", namespace: "default", name: "a", uid: "uid-a" },
          },
        ],
        notReadyAddresses: [
          {
            ip: "10.0.0.1",
            nodeName: "node-1",
            targetRef: { kind: "Pod", namespace: "default", name: "b", uid: "uid-b" },
          },
        ],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  it("publishes not-ready pods as ready with publishNotReadyAddresses", () => {
    const [subset] = desiredSubsets(service({ publishNotReadyAddresses: true }), [
      pod("a", { ip: "10.0.0.2", ready: false }),
    ]);
    expect(subset?.addresses?.map((a) => a.ip)).toEqual(["10.0.0.2"]);
    expect(subset?.notReadyAddresses).toBeUndefined();
  });

  it("skips pods without an IP, finished pods, unselected pods and terminating not-ready pods", () => {
    const subsets = desiredSubsets(service(), [
      pod("noip", { ip: "" }),
      pod("done", { phase: "Succeeded" }),
      pod("other", { labels: { app: "db" } }),
      pod("going", { ready: false, deleting: true }),
    ]);
    expect(subsets).toEqual([]);
  });

  it("groups pods whose named port resolves differently into separate subsets", () => {
    const subsets = desiredSubsets(service(), [
      pod("a", { ip: "10.0.0.1", port: 8080 }),
      pod("b", { ip: "10.0.0.2", port: 9090 }),
    ]);
    expect(subsets.map((s) => [s.addresses?.[0]?.ip, s.ports?.[0]?.port])).toEqual([
      ["10.0.0.1", 8080],
      ["10.0.0.2", 9090],
    ]);
  });

  it("uses a numeric targetPort as is and drops ports whose name a pod lacks", () => {
    const svc = service({
      ports: [
        { name: "num", port: 80, targetPort: 7000 },
        { name: "missing", port: 81, targetPort: "nope" },
      ],
    });
    const [subset] = desiredSubsets(svc, [pod("a", { ip: "10.0.0.1" })]);
    expect(subset?.ports).toEqual([{ name: "num", port: 7000, protocol: "TCP" }]);
  });

  it("sets hostname only for pods whose subdomain names the service", () => {
    const [subset] = desiredSubsets(service(), [pod("a", { ip: "10.0.0.1", hostname: "a" })]);
    expect(subset?.addresses?.[0]?.hostname).toBe("a");
  });

  it("publishes addresses without ports for a headless service without ports", () => {
    const subsets = desiredSubsets(service({ clusterIP: "None", ports: [] }), [
      pod("a", { ip: "10.0.0.1" }),
    ]);
    expect(subsets).toHaveLength(1);
    expect(subsets[0]?.ports).toBeUndefined();
    expect(desiredEndpointsLabels(service({ clusterIP: "None" }))).toEqual({
      app: "web",
      "service.kubernetes.io/headless": "",
    });
  });
});
