import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CoreEvent, type KubeObject, Resources } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POD_GROUP_LABEL, POD_GROUPS } from "../src/index.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";
import { type RunningScheduler, runSchedulerCommand } from "./support/run-command.js";

/**
 * Gang scheduling end to end: the PodGroup CRD served by the real
 * apiserver, `kubekit scheduler --plugin-package
 * @kubekit/example-coscheduling` reading PodGroups through an informer on
 * the dynamic client. A group of 3 with minMember 3 stays pending as a
 * group while only 2 fit, and is bound, all 3, once the third fits.
 */

const CRD: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "podgroups.scheduling.x-k8s.io" },
  spec: {
    group: "scheduling.x-k8s.io",
    scope: "Namespaced",
    names: { plural: "podgroups", singular: "podgroup", kind: "PodGroup", shortNames: ["pg"] },
    versions: [
      {
        name: "v1alpha1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  minMember: { type: "integer", format: "int32", minimum: 1 },
                  scheduleTimeoutSeconds: { type: "integer", format: "int32" },
                },
              },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

const CONFIG = [
  "apiVersion: kubescheduler.config.k8s.io/v1",
  "kind: KubeSchedulerConfiguration",
  "profiles:",
  "  - plugins:",
  "      queueSort: { enabled: [{ name: Coscheduling }], disabled: [{ name: '*' }] }",
  "      preFilter: { enabled: [{ name: Coscheduling }] }",
  "      postFilter: { enabled: [{ name: Coscheduling }] }",
  "      reserve: { enabled: [{ name: Coscheduling }] }",
  "      permit: { enabled: [{ name: Coscheduling }] }",
  "    pluginConfig:",
  "      - name: Coscheduling",
  "        args: { permitWaitingTimeSeconds: 20 }",
].join("\n");

describe("Coscheduling on the apiserver with the PodGroup CRD", () => {
  let plane: InProcessControlPlane;
  let scheduler: RunningScheduler;
  const pods = () => plane.client.resource(Resources.pods).namespace("ml");
  const addNode = async (name: string) => {
    const nodes = plane.client.resource(Resources.nodes);
    await nodes.create({ apiVersion: "v1", kind: "Node", metadata: { name } });
    await nodes.patch(
      name,
      "merge",
      {
        status: {
          allocatable: { cpu: "1", memory: "4Gi", pods: "110" },
          capacity: { cpu: "1", memory: "4Gi", pods: "110" },
        },
      },
      { subresource: "status" },
    );
  };
  const nodeNames = async () =>
    Promise.all(
      ["w1", "w2", "w3"].map(
        async (n) => ((await pods().get(n)) as { spec: { nodeName?: string } }).spec.nodeName,
      ),
    );

  beforeAll(async () => {
    plane = await startInProcessControlPlane("coscheduling");
    await plane.client
      .resource({
        group: "apiextensions.k8s.io",
        version: "v1",
        resource: "customresourcedefinitions",
        namespaced: false,
      })
      .create(CRD);
    await eventually("the PodGroup CRD to be served", async () => {
      await plane.client.resource(POD_GROUPS).list();
      return true;
    });
    await plane.client
      .resource(Resources.namespaces)
      .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ml" } });
    await addNode("n1");
    await addNode("n2");
    const config = join(plane.dir.path, "scheduler.yaml");
    await writeFile(config, CONFIG);
    scheduler = runSchedulerCommand([
      `--kubeconfig=${plane.kubeconfig}`,
      `--config=${config}`,
      "--plugin-package=@kubekit/example-coscheduling",
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

  it("holds a group of 3 (minMember 3) while only 2 fit, then binds all 3 together", async () => {
    await plane.client
      .resource(POD_GROUPS)
      .namespace("ml")
      .create({
        apiVersion: "scheduling.x-k8s.io/v1alpha1",
        kind: "PodGroup",
        metadata: { name: "train" },
        spec: { minMember: 3 },
      });
    for (const name of ["w1", "w2", "w3"]) {
      await pods().create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, labels: { [POD_GROUP_LABEL]: "train" } },
        spec: {
          containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "1" } } }],
        },
      });
    }
    // Every member has been tried and sent back, and the group's verdict is on record.
    await eventually(
      "FailedScheduling for every member, with the group rejected",
      async () => {
        const events = (
          await plane.client.resource<CoreEvent>(Resources.events).namespace("ml").list()
        ).items.filter((e) => e.reason === "FailedScheduling");
        const who = new Set(events.map((e) => e.involvedObject.name));
        const groupRejected = events.some((e) =>
          e.message.includes("PodGroup ml/train gets rejected"),
        );
        return who.size === 3 && groupRejected ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(await nodeNames()).toEqual([undefined, undefined, undefined]);

    // Room for the third: the whole group is bound, one per node.
    await addNode("n3");
    const placed = await eventually(
      "all members to be bound",
      async () => {
        const names = await nodeNames();
        return names.every(Boolean) ? names : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(new Set(placed)).toEqual(new Set(["n1", "n2", "n3"]));
  }, 90_000);
});
