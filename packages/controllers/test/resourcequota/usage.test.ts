import { formatQuantity, parseQuantity, sumQuantities, ZERO } from "@kubekit/apimachinery";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/common/types.js";
import {
  computeUsed,
  type NamespaceObjects,
  podResource,
  type ResourceQuota,
} from "../../src/resourcequota/index.js";

const sum = (...xs: string[]) => formatQuantity(sumQuantities(xs.map((x) => parseQuantity(x))));

describe("quantities", () => {
  it("parse and add exactly, printing canonically in the first quantity's format", () => {
    expect(sum("100m", "250m")).toBe("350m");
    expect(sum("500m", "1.5")).toBe("2");
    expect(sum("1Gi", "512Mi")).toBe("1536Mi");
    expect(sum("128Mi", "128Mi")).toBe("256Mi");
    expect(sum("1G", "500M")).toBe("1500M");
    expect(sum("2e3")).toBe("2e3"); // upstream keeps the exponent form
    expect(sum("0.1")).toBe("100m");
    expect(sum("1Ki", "1")).toBe("1025");
  });
});

const pod = (
  name: string,
  containers: Pod["spec"] extends infer S
    ? S extends { containers?: infer C }
      ? C
      : never
    : never,
  extra: Partial<Pod> = {},
): Pod => ({
  metadata: { name, namespace: "q" },
  spec: { containers },
  status: { phase: "Running" },
  ...extra,
});

const objects = (over: Partial<NamespaceObjects> = {}): NamespaceObjects => ({
  pods: [],
  services: [],
  configMaps: [],
  secrets: [],
  persistentVolumeClaims: [],
  otherCounts: new Map(),
  ...over,
});

describe("computeUsed", () => {
  const quota = (hard: Record<string, string>, scopes?: string[]): ResourceQuota => ({
    metadata: { name: "rq", namespace: "q" },
    spec: { hard, ...(scopes ? { scopes } : {}) },
  });

  it("sums pod requests and limits, counting the largest init container", () => {
    const p = pod("a", [
      {
        name: "c1",
        resources: {
          requests: { cpu: "100m", memory: "64Mi" },
          limits: { cpu: "200m", memory: "128Mi" },
        },
      },
      { name: "c2", resources: { requests: { cpu: "150m" } } },
    ]);
    p.spec = {
      ...p.spec,
      initContainers: [{ name: "init", resources: { requests: { cpu: "1" } } }],
    };
    expect(formatQuantity(podResource(p, "requests", "cpu") ?? ZERO)).toBe("1");
    const used = computeUsed(
      quota({
        pods: "10",
        "requests.cpu": "4",
        "requests.memory": "1Gi",
        "limits.cpu": "4",
        "limits.memory": "1Gi",
        cpu: "4",
      }),
      objects({
        pods: [
          p,
          pod("b", [{ name: "c", resources: { requests: { cpu: "250m", memory: "64Mi" } } }]),
          pod("done", [{ name: "c", resources: { requests: { cpu: "8" } } }], {
            status: { phase: "Succeeded" },
          }),
        ],
      }),
      0,
    );
    expect(used).toEqual({
      cpu: "1250m",
      "limits.cpu": "200m",
      "limits.memory": "128Mi",
      pods: "2",
      "requests.cpu": "1250m",
      "requests.memory": "128Mi",
    });
  });

  it("counts services, node ports, configmaps, secrets, claims and their storage, and other resources", () => {
    const used = computeUsed(
      quota({
        services: "5",
        "services.nodeports": "5",
        "services.loadbalancers": "1",
        configmaps: "5",
        secrets: "5",
        persistentvolumeclaims: "5",
        "requests.storage": "10Gi",
        "count/deployments.apps": "2",
        "count/widgets.example.com": "1",
      }),
      objects({
        services: [
          { spec: { type: "NodePort", ports: [{}, {}] } },
          { spec: { type: "LoadBalancer", ports: [{}] } },
          { spec: {} },
        ],
        configMaps: [{}, {}],
        secrets: [{}],
        persistentVolumeClaims: [
          { spec: { resources: { requests: { storage: "1Gi" } } } },
          { spec: { resources: { requests: { storage: "512Mi" } } } },
        ],
        otherCounts: new Map([["count/deployments.apps", 3]]),
      }),
      0,
    );
    expect(used).toEqual({
      configmaps: "2",
      "count/deployments.apps": "3",
      persistentvolumeclaims: "2",
      "requests.storage": "1536Mi",
      secrets: "1",
      services: "3",
      "services.loadbalancers": "1",
      "services.nodeports": "3",
    });
  });

  it("narrows pods by scope and reports zero usage in the resource's format", () => {
    const bestEffort = pod("be", [{ name: "c" }]);
    const burstable = pod("bu", [{ name: "c", resources: { requests: { memory: "1Mi" } } }]);
    expect(
      computeUsed(
        quota({ pods: "5" }, ["BestEffort"]),
        objects({ pods: [bestEffort, burstable] }),
        0,
      ),
    ).toEqual({ pods: "1" });
    expect(
      computeUsed(
        quota({ pods: "5", services: "1" }, ["NotBestEffort"]),
        objects({ pods: [bestEffort, burstable] }),
        0,
      ),
    ).toEqual({ pods: "1" });
    expect(
      computeUsed(quota({ "requests.memory": "1Gi", "requests.cpu": "1" }), objects(), 0),
    ).toEqual({
      "requests.cpu": "0",
      "requests.memory": "0",
    });
  });
});
