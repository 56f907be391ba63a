import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import type { Endpoints } from "../../src/endpoints/index.js";
import { endpointsController } from "../../src/endpoints/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";
import { reportPodStatus } from "../support/pod-status.js";

const NS = "default";

describe("the endpoints controller on a real apiserver", { timeout: 120_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [endpointsController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const endpoints = () => plane.client.resource<Endpoints>(R.endpoints).namespace(NS);
  const getEndpoints = (name: string) =>
    endpoints()
      .get(name)
      .catch(() => undefined);

  it("publishes ready and not-ready pods, and deletes the Endpoints with the service", async () => {
    const pods = plane.client.resource(R.pods).namespace(NS);
    for (const name of ["web-a", "web-b"]) {
      await pods.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, labels: { app: "web" } },
        spec: {
          nodeName: "node-1",
          containers: [
            { name: "c", image: "busybox", ports: [{ name: "http", containerPort: 8080 }] },
          ],
        },
      });
    }
    await reportPodStatus(plane.client, NS, "web-a", {
      phase: "Running",
      ready: true,
      podIP: "10.1.0.1",
    });
    await reportPodStatus(plane.client, NS, "web-b", {
      phase: "Running",
      ready: false,
      podIP: "10.1.0.2",
    });
    await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
      });

    const ep = await eventually(
      "Endpoints web lists both pods",
      async () => {
        const e = await getEndpoints("web");
        const s = e?.subsets?.[0];
        return s?.addresses?.length === 1 && s.notReadyAddresses?.length === 1 ? e : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(ep.subsets?.[0]?.addresses?.[0]).toMatchObject({
      ip: "10.1.0.1",
      nodeName: "node-1",
      targetRef: { kind: "Pod", name: "web-a", namespace: NS },
    });
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);

    // The kubelet reports web-b ready: it moves to addresses.
    await reportPodStatus(plane.client, NS, "web-b", {
      phase: "Running",
      ready: true,
      podIP: "10.1.0.2",
    });
    await eventually(
      "web-b becomes a ready address",
      async () =>
        (await getEndpoints("web"))?.subsets?.[0]?.addresses?.length === 2 ? true : undefined,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    // Someone deletes the Endpoints: the controller writes them back.
    await endpoints().delete("web");
    await eventually(
      "Endpoints web re-created",
      async () =>
        (await getEndpoints("web"))?.subsets?.[0]?.addresses?.length === 2 ? true : undefined,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    await plane.client.resource(R.services).namespace(NS).delete("web");
    await eventually(
      "Endpoints web deleted with the service",
      async () => ((await getEndpoints("web")) === undefined ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  });

  it("leaves the Endpoints of a selector-less service to their author", async () => {
    await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "external" },
        spec: { ports: [{ port: 80 }] },
      });
    await endpoints().create({
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "external" },
      subsets: [{ addresses: [{ ip: "192.0.2.10" }], ports: [{ port: 80, protocol: "TCP" }] }],
    });
    // A selector service created after it is reconciled: once that has happened, the
    // selector-less one has been seen too, and must still hold what the user wrote.
    await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "marker" },
        spec: { selector: { app: "none" }, ports: [{ port: 80 }] },
      });
    await eventually(
      "marker Endpoints created",
      async () => ((await getEndpoints("marker")) ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    const ep = await getEndpoints("external");
    expect(ep?.subsets?.[0]?.addresses?.[0]?.ip).toBe("192.0.2.10");
  });
});
