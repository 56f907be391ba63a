import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import { type ResourceQuota, resourceQuotaController } from "../../src/resourcequota/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";

const NS = "quota-test";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("the resourcequota controller on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [resourceQuotaController]);
    await plane.client
      .resource(R.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  it("mirrors hard into status and tracks usage as objects come and go", async () => {
    const c = plane.client;
    await c
      .resource(R.deployments)
      .namespace(NS)
      .create({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "d" },
        spec: {
          selector: { matchLabels: { app: "d" } },
          template: {
            metadata: { labels: { app: "d" } },
            spec: { containers: [{ name: "c", image: "busybox" }] },
          },
        },
      });
    const hard = {
      pods: "10",
      "requests.cpu": "2",
      "requests.memory": "1Gi",
      "limits.cpu": "4",
      "limits.memory": "2Gi",
      services: "5",
      configmaps: "5",
      secrets: "5",
      persistentvolumeclaims: "5",
      "count/deployments.apps": "3",
    };
    const quotas = c.resource<ResourceQuota>(R.resourceQuotas).namespace(NS);
    await quotas.create({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "compute" },
      spec: { hard },
    });
    const empty = await eventually(
      "status filled",
      async () => {
        const q = await quotas.get("compute");
        return q.status?.used ? q : undefined;
      },
      WAIT,
    );
    expect(empty.status?.hard).toEqual(hard);
    expect(empty.status?.used).toEqual({
      configmaps: "0",
      "count/deployments.apps": "1",
      "limits.cpu": "0",
      "limits.memory": "0",
      persistentvolumeclaims: "0",
      pods: "0",
      "requests.cpu": "0",
      "requests.memory": "0",
      secrets: "0",
      services: "0",
    });

    for (const [name, cpu, memory] of [
      ["a", "500m", "256Mi"],
      ["b", "250m", "128Mi"],
    ] as const) {
      await c
        .resource(R.pods)
        .namespace(NS)
        .create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name },
          spec: {
            containers: [
              {
                name: "c",
                image: "busybox",
                resources: { requests: { cpu, memory }, limits: { cpu: "1", memory: "512Mi" } },
              },
            ],
          },
        });
    }
    await c
      .resource(R.configMaps)
      .namespace(NS)
      .create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
    await c
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "svc" },
        spec: { ports: [{ port: 80 }] },
      });
    const busy = await eventually(
      "usage counted",
      async () => {
        const q = await quotas.get("compute");
        return q.status?.used?.pods === "2" &&
          q.status.used.configmaps === "1" &&
          q.status.used.services === "1"
          ? q
          : undefined;
      },
      WAIT,
    );
    expect(busy.status?.used).toMatchObject({
      "requests.cpu": "750m",
      "requests.memory": "384Mi",
      "limits.cpu": "2",
      "limits.memory": "1Gi",
    });

    // A deleted pod no longer counts.
    await c.resource(R.pods).namespace(NS).delete("a");
    await eventually(
      "pod a released",
      async () => ((await quotas.get("compute")).status?.used?.pods === "1" ? true : undefined),
      WAIT,
    );
    expect((await quotas.get("compute")).status?.used?.["requests.cpu"]).toBe("250m");
  });
});
