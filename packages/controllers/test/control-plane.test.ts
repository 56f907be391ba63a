import { Resources } from "@kubekit/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allControllers } from "../src/index.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";

describe("the in-process control plane the controller tests run on", () => {
  let plane: InProcessControlPlane;
  beforeAll(async () => {
    plane = await startInProcessControlPlane();
  });
  afterAll(() => plane.stop());

  it("serves the system namespaces through @kubekit/client", async () => {
    const list = await plane.client.resource(Resources.namespaces).list();
    expect(list.items.map((ns) => ns.metadata?.name)).toContain("kube-system");
  });

  it("has controllers with unique upstream names", () => {
    const names = allControllers().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
