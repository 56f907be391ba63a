import type { KubeObject } from "@kubekit/client";
import { eventually } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControllerResources as R } from "../../src/common/resources.js";
import { garbageCollectorController } from "../../src/garbagecollector/index.js";
import {
  type InProcessControlPlane,
  startInProcessControlPlane,
} from "../support/control-plane.js";
import { type RunningControllers, startControllers } from "../support/controller-context.js";

const NS = "default";
const WAIT = { timeoutMs: 90_000, intervalMs: 250 };

describe("the garbage collector on a real apiserver", { timeout: 180_000 }, () => {
  let plane: InProcessControlPlane;
  let running: RunningControllers;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
    running = await startControllers(plane, [garbageCollectorController]);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await plane?.stop();
  });

  const configMaps = () => plane.client.resource(R.configMaps).namespace(NS);
  const secrets = () => plane.client.resource(R.secrets).namespace(NS);
  const get = (name: string) =>
    configMaps()
      .get(name)
      .catch(() => undefined);
  const ownerRef = (owner: KubeObject, block = true) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    blockOwnerDeletion: block,
  });
  const makeOwner = (name: string) =>
    configMaps().create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });
  const makeDependent = (name: string, owners: KubeObject[], finalizers: string[] = []) =>
    configMaps().create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, ownerReferences: owners.map((o) => ownerRef(o)), finalizers },
    });
  const gone = (name: string) => async () => ((await get(name)) === undefined ? true : undefined);

  it("deletes the dependents of a deleted owner (background), across resources", async () => {
    const owner = await makeOwner("bg-owner");
    await makeDependent("bg-dep", [owner]);
    await secrets().create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "bg-secret", ownerReferences: [ownerRef(owner)] },
    });
    await configMaps().delete("bg-owner", { propagationPolicy: "Background" });
    await eventually("bg-dep deleted", gone("bg-dep"), WAIT);
    await eventually(
      "bg-secret deleted",
      async () =>
        (await secrets()
          .get("bg-secret")
          .catch(() => undefined)) === undefined
          ? true
          : undefined,
      WAIT,
    );
  });

  it("keeps a dependent that still has another owner, dropping the reference to the gone one", async () => {
    const a = await makeOwner("two-a");
    const b = await makeOwner("two-b");
    await makeDependent("two-dep", [a, b]);
    await configMaps().delete("two-a");
    await eventually(
      "only two-b left in ownerReferences",
      async () => {
        const d = await get("two-dep");
        const refs = d?.metadata?.ownerReferences?.map((r) => r.name);
        return refs?.length === 1 && refs[0] === "two-b" ? true : undefined;
      },
      WAIT,
    );
  });

  it("orphans dependents for propagationPolicy Orphan, then lets the owner go", async () => {
    const owner = await makeOwner("or-owner");
    await makeDependent("or-dep", [owner]);
    await configMaps().delete("or-owner", { propagationPolicy: "Orphan" });
    await eventually("or-owner deleted", gone("or-owner"), WAIT);
    const dep = await get("or-dep");
    expect(dep).toBeDefined();
    expect(dep?.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it("deletes blocking dependents first for propagationPolicy Foreground", async () => {
    const owner = await makeOwner("fg-owner");
    // The dependent holds its own deletion with a finalizer, so the owner must wait for it.
    await makeDependent("fg-dep", [owner], ["example.com/hold"]);
    await configMaps().delete("fg-owner", { propagationPolicy: "Foreground" });
    const depDeleting = await eventually(
      "fg-dep being deleted",
      async () => {
        const d = await get("fg-dep");
        return d?.metadata?.deletionTimestamp ? d : undefined;
      },
      WAIT,
    );
    const waitingOwner = await get("fg-owner");
    expect(waitingOwner?.metadata?.deletionTimestamp).toBeDefined();
    expect(waitingOwner?.metadata?.finalizers).toContain("foregroundDeletion");
    // Release the dependent: it goes, then the owner.
    await configMaps().patch("fg-dep", "merge", {
      metadata: { finalizers: null, resourceVersion: depDeleting.metadata?.resourceVersion },
    });
    await eventually("fg-dep deleted", gone("fg-dep"), WAIT);
    await eventually("fg-owner deleted", gone("fg-owner"), WAIT);
  });

  it("deletes an object whose owner never existed", async () => {
    await configMaps().create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "dangling",
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "ghost", uid: "no-such-uid" },
        ],
      },
    });
    await eventually("dangling deleted", gone("dangling"), WAIT);
  });
});
