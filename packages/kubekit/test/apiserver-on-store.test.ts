import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The control plane's bottom two layers as an operator runs them:
 * `kubekit store` and `kubekit apiserver` as processes, driven by the real
 * kubectl; the apiserver's objects land in the store, as etcdctl shows.
 */

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../bin/kubekit.js", import.meta.url));

describe("kubekit apiserver on kubekit store, driven by kubectl", () => {
  let dir: TempDir;
  const children: ChildProcess[] = [];
  let storePort = 0;
  let kubeconfig = "";
  let apiserverLog = "";

  const kubectl = async (...args: string[]) =>
    (await run("kubectl", [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 30_000 })).stdout;

  beforeAll(async () => {
    dir = await makeTempDir("apiserver-on-store");
    storePort = await freePort();
    const peerPort = await freePort();
    const apiPort = await freePort();
    await writeFile(join(dir.path, "tokens.csv"), 'e2e-admin-token,admin,1,"system:masters"\n');
    children.push(
      spawn(
        process.execPath,
        [
          bin,
          "store",
          "--name=s1",
          `--data-dir=${join(dir.path, "store")}`,
          `--listen-client-urls=http://127.0.0.1:${storePort}`,
          `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        ],
        { stdio: "ignore" },
      ),
    );
    children.push(
      spawn(
        process.execPath,
        [
          bin,
          "apiserver",
          `--etcd-servers=http://127.0.0.1:${storePort}`,
          `--secure-port=${apiPort}`,
          "--bind-address=127.0.0.1",
          `--cert-dir=${join(dir.path, "certs")}`,
          `--token-auth-file=${join(dir.path, "tokens.csv")}`,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
    const apiserver = children[1] as ChildProcess;
    apiserver.stdout?.on("data", (chunk) => {
      apiserverLog += String(chunk);
    });
    apiserver.stderr?.on("data", (chunk) => {
      apiserverLog += String(chunk);
    });
    kubeconfig = join(dir.path, "kubeconfig");
    await writeFile(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: kubekit",
        "  cluster:",
        `    server: https://127.0.0.1:${apiPort}`,
        "    insecure-skip-tls-verify: true",
        "users:",
        "- name: admin",
        "  user:",
        "    token: e2e-admin-token",
        "contexts:",
        "- name: kubekit",
        "  context: { cluster: kubekit, user: admin }",
        "current-context: kubekit",
        "",
      ].join("\n"),
    );
    await eventually("the apiserver to serve namespaces", async () => {
      if (apiserver.exitCode !== null) throw new Error(`kubekit apiserver exited: ${apiserverLog}`);
      return (
        (await kubectl("get", "namespaces", "-o", "name")).includes("namespace/kube-system") ||
        undefined
      );
    });
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    await dir?.remove();
  });

  it("applies, reads, labels, patches and deletes objects that live in the store", async () => {
    const manifest = join(dir.path, "app.yaml");
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
        [`--endpoints=127.0.0.1:${storePort}`, "get", "--prefix", "/registry/", "--keys-only"],
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
