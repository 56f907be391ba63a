import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, startControlPlane } from "./support/control-plane.js";

/**
 * The control plane's bottom two layers as an operator runs them:
 * `kubekit store` and `kubekit apiserver` as processes, driven by the real
 * kubectl; the apiserver's objects land in the store, as etcdctl shows.
 */

const run = promisify(execFile);

describe("kubekit apiserver on kubekit store, driven by kubectl", () => {
  let plane: ControlPlane;
  const kubectl = (...args: string[]) => plane.kubectl(...args);

  beforeAll(async () => {
    plane = await startControlPlane("apiserver-on-store");
  }, 120_000);

  afterAll(async () => {
    await plane?.stop();
  });

  it("applies, reads, labels, patches and deletes objects that live in the store", async () => {
    const manifest = join(plane.dir.path, "app.yaml");
    await writeFile(
      manifest,
      [
        "apiVersion: v1",
        "kind: Namespace",
        "metadata: { name: e2e }",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: { name: settings, namespace: e2e }",
        "data: { color: blue }",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: { name: web, namespace: e2e }",
        "spec:",
        "  replicas: 2",
        "  selector: { matchLabels: { app: web } }",
        "  template:",
        "    metadata: { labels: { app: web } }",
        "    spec:",
        "      containers: [{ name: web, image: busybox, command: [httpd, -f] }]",
        "",
      ].join("\n"),
    );
    const applied = await kubectl("apply", "--validate=false", "-f", manifest);
    expect(applied).toContain("namespace/e2e created");
    expect(applied).toContain("configmap/settings created");
    expect(applied).toContain("deployment.apps/web created");

    const deployment = JSON.parse(
      await kubectl("-n", "e2e", "get", "deployment", "web", "-o", "json"),
    );
    expect(deployment.spec.replicas).toBe(2);
    // Defaulted by the apiserver, as upstream does.
    expect(deployment.spec.strategy.rollingUpdate.maxSurge).toBe("25%");

    await kubectl("-n", "e2e", "label", "configmap", "settings", "tier=frontend");
    expect(
      await kubectl("-n", "e2e", "get", "configmaps", "-l", "tier=frontend", "-o", "name"),
    ).toBe("configmap/settings\n");
    await kubectl(
      "-n",
      "e2e",
      "patch",
      "configmap",
      "settings",
      "--type=merge",
      "-p",
      '{"data":{"color":"green"}}',
    );
    expect(
      await kubectl("-n", "e2e", "get", "configmap", "settings", "-o", "jsonpath={.data.color}"),
    ).toBe("green");

    // The objects are in the store, under the registry prefix.
    const keys = (
      await run(
        "etcdctl",
        [
          `--endpoints=127.0.0.1:${plane.storePort}`,
          "get",
          "--prefix",
          "/registry/",
          "--keys-only",
        ],
        {
          env: { ...process.env, ETCDCTL_API: "3" },
        },
      )
    ).stdout;
    expect(keys).toContain("/registry/core/configmaps/e2e/settings");
    expect(keys).toMatch(/\/registry\/apps\/deployments\/e2e\/web/);

    expect(await kubectl("-n", "e2e", "delete", "configmap", "settings")).toContain("deleted");
    const missing = await kubectl("-n", "e2e", "get", "configmap", "settings").then(
      () => "found",
      (error: { stderr: string }) => error.stderr,
    );
    expect(missing).toContain('configmaps "settings" not found');
  });
});
