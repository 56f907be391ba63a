import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import { type EndpointSlice, endpointSliceController } from "../../src/endpointslice/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";
import { reportPodStatus } from "../support/pod-status.js";

const NS = "default";

describe("the endpointslice controller on a real apiserver", { timeout: 120_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [endpointSliceController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const slicesOf = async (service: string): Promise<EndpointSlice[]> =>
    (
      await plane.client
        .resource<EndpointSlice>(R.endpointSlices)
        .namespace(NS)
        .list({ labelSelector: `kubernetes.io/service-name=${service}` })
    ).items;

  it("publishes pods with their conditions, splits past 100 endpoints, and follows pod changes", async () => {
    const service = await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "api" },
        spec: { selector: { app: "api" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
      });
    // The placeholder slice comes first.
    await eventually(
      "an empty placeholder slice",
      async () => ((await slicesOf("api")).length === 1 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const pods = plane.client.resource(R.pods).namespace(NS);
    const count = 105;
    for (let i = 0; i < count; i++) {
      await pods.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `api-${i}`, labels: { app: "api" } },
        spec: {
          nodeName: "node-1",
          containers: [
            { name: "c", image: "busybox", ports: [{ name: "http", containerPort: 8080 }] },
          ],
        },
      });
      await reportPodStatus(plane.client, NS, `api-${i}`, {
        phase: "Running",
        ready: i !== 0,
        podIP: `10.2.${Math.floor(i / 200)}.${(i % 200) + 1}`,
      });
    }
    const slices = await eventually(
      "105 endpoints in two slices",
      async () => {
        const s = await slicesOf("api");
        const total = s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0);
        return total === count ? s : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 300 },
    );
    expect(slices.map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([5, 100]);
    for (const s of slices) {
      expect(s.addressType).toBe("IPv4");
      expect(s.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
      expect(s.metadata?.labels?.["endpointslice.kubernetes.io/managed-by"]).toBe(
        "endpointslice-controller.k8s.io",
      );
      expect(s.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: "Service",
        name: "api",
        uid: service.metadata?.uid,
      });
    }
    const first = slices.flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === "api-0");
    expect(first?.conditions).toEqual({ ready: false, serving: false, terminating: false });

    // A pod goes away: it leaves its slice.
    await pods.delete("api-0", { gracePeriodSeconds: 0 });
    await eventually(
      "api-0 gone from the slices",
      async () => {
        const s = await slicesOf("api");
        const names = s.flatMap((x) => x.endpoints.map((e) => e.targetRef?.name));
        return names.length === count - 1 && !names.includes("api-0") ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
  });

  it("makes no slices for a service without a selector", async () => {
    await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "manual" },
        spec: { ports: [{ port: 80 }] },
      });
    await plane.client
      .resource(R.services)
      .namespace(NS)
      .create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "after" },
        spec: { selector: { app: "none" }, ports: [{ port: 80 }] },
      });
    // Services are handled in order of arrival: once "after" has its slice, "manual" was seen.
    await eventually(
      "slice for after",
      async () => ((await slicesOf("after")).length === 1 ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    expect(await slicesOf("manual")).toEqual([]);
  });
});
