import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type KubeObject, Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ANNOTATION } from "../src/index.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type RunningScheduler, runSchedulerCommand } from "./support/run-command.js";

/**
 * `kubekit scheduler --plugin-package @kubekit/example-load-aware --config
 * cfg.yaml` on the real apiserver: the package is loaded by its npm name,
 * enabled by the profile, and the pod lands on the least-loaded node.
 */
describe("LoadAware loaded by package name into kubekit scheduler", () => {
  let plane: InProcessControlPlane;
  let scheduler: RunningScheduler;

  beforeAll(async () => {
    plane = await startInProcessControlPlane("load-aware");
    const nodes = plane.client.resource(Resources.nodes);
    for (const [name, utilization] of [
      ["busy", "0.91"],
      ["calm", "0.12"],
      ["steady", "0.55"],
    ] as const) {
      const node: KubeObject = {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, annotations: { [DEFAULT_ANNOTATION]: utilization } },
      };
      await nodes.create(node);
      await nodes.patch(
        name,
        "merge",
        {
          status: {
            allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
            capacity: { cpu: "4", memory: "8Gi", pods: "110" },
          },
        },
        { subresource: "status" },
      );
    }
    const config = join(plane.dir.path, "scheduler.yaml");
    await writeFile(
      config,
      [
        "apiVersion: kubescheduler.config.k8s.io/v1",
        "kind: KubeSchedulerConfiguration",
        "profiles:",
        "  - schedulerName: load-aware",
        "    plugins:",
        "      multiPoint:",
        "        enabled: [{ name: LoadAware, weight: 20 }]",
        "    pluginConfig:",
        "      - name: LoadAware",
        "        args: { threshold: 0.9 }",
      ].join("\n"),
    );
    scheduler = runSchedulerCommand([
      `--kubeconfig=${plane.kubeconfig}`,
      `--config=${config}`,
      "--plugin-package=@kubekit/example-load-aware",
      "--leader-elect=false",
      "--secure-port=0",
    ]);
    await eventually("the scheduler to sync its caches", async () =>
      scheduler.logs().some((l) => l.msg === "caches synced") ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await scheduler?.stop();
    await plane?.stop();
  });

  it("binds each pod of the profile to the least-loaded node", async () => {
    expect(scheduler.logs().find((l) => l.msg === "loaded plugin packages")).toMatchObject({
      plugins: ["LoadAware"],
    });
    const pods = plane.client.resource(Resources.pods).namespace("default");
    for (const name of ["a", "b", "c"]) {
      await pods.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: {
          schedulerName: "load-aware",
          containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m" } } }],
        },
      });
    }
    const placed = await eventually(
      "the pods to be bound",
      async () => {
        const names = await Promise.all(
          ["a", "b", "c"].map(
            async (n) => ((await pods.get(n)) as { spec: { nodeName?: string } }).spec.nodeName,
          ),
        );
        return names.every(Boolean) ? names : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(placed).toEqual(["calm", "calm", "calm"]);
  }, 60_000);
});
