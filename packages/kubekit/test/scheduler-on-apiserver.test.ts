import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `kubekit scheduler` as an operator runs it: on `kubekit apiserver` on
 * `kubekit store`, all three as processes, driven by the real kubectl.
 * Pods get bound to the node they fit on; a pod that fits nowhere waits.
 */

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../bin/kubekit.js", import.meta.url));

const node = (name: string, taint: boolean) =>
  [
    "apiVersion: v1",
    "kind: Node",
    `metadata: { name: ${name}, labels: { kubernetes.io/hostname: ${name} } }`,
    taint ? "spec: { taints: [{ key: dedicated, value: infra, effect: NoSchedule }] }" : "spec: {}",
    "status:",
    "  capacity: { cpu: '4', memory: 8Gi, pods: '110' }",
    "  allocatable: { cpu: '4', memory: 8Gi, pods: '110' }",
    "  conditions: [{ type: Ready, status: 'True', reason: KubeletReady }]",
  ].join("\n");

const pod = (name: string, cpu: string) =>
  [
    "apiVersion: v1",
    "kind: Pod",
    `metadata: { name: ${name}, namespace: sched }`,
    "spec:",
    "  containers:",
    "  - name: app",
    "    image: busybox",
    `    resources: { requests: { cpu: '${cpu}', memory: 64Mi } }`,
  ].join("\n");

describe("kubekit scheduler on kubekit apiserver, driven by kubectl", () => {
  let dir: TempDir;
  const children: ChildProcess[] = [];
  let kubeconfig = "";
  let schedulerLog = "";
  let apiserverLog = "";

  const kubectl = async (...args: string[]) =>
    (await run("kubectl", [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 30_000 })).stdout;
  const nodeNameOf = (name: string) =>
    kubectl("-n", "sched", "get", "pod", name, "-o", "jsonpath={.spec.nodeName}");

  beforeAll(async () => {
    dir = await makeTempDir("scheduler-on-apiserver");
    const storePort = await freePort();
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
    const apiserver = spawn(
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
    );
    children.push(apiserver);
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
    const scheduler = spawn(process.execPath, [bin, "scheduler", `--kubeconfig=${kubeconfig}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(scheduler);
    scheduler.stdout?.on("data", (chunk) => {
      schedulerLog += String(chunk);
    });
    scheduler.stderr?.on("data", (chunk) => {
      schedulerLog += String(chunk);
    });
    await eventually("the scheduler to sync its caches", async () => {
      if (scheduler.exitCode !== null) throw new Error(`kubekit scheduler exited: ${schedulerLog}`);
      return schedulerLog.includes("caches synced") || undefined;
    });
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    await dir?.remove();
  });

  it("binds a pod to the untainted node it fits on, and leaves an unfittable pod pending", async () => {
    const nodes = join(dir.path, "nodes.yaml");
    await writeFile(nodes, [node("tainted", true), node("worker", false)].join("\n---\n"));
    await kubectl("apply", "--validate=false", "-f", nodes);
    // Make sure the status (allocatable) is there even if create dropped it.
    for (const name of ["tainted", "worker"]) {
      await kubectl(
        "patch",
        "node",
        name,
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({
          status: {
            capacity: { cpu: "4", memory: "8Gi", pods: "110" },
            allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
            conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
          },
        }),
      );
    }

    const pods = join(dir.path, "pods.yaml");
    await writeFile(
      pods,
      [
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: sched }",
        pod("fits", "500m"),
        pod("too-big", "64"),
      ].join("\n---\n"),
    );
    await kubectl("apply", "--validate=false", "-f", pods);

    await eventually(
      "the pod to be bound",
      async () => {
        const bound = await nodeNameOf("fits");
        return bound !== "" ? bound : undefined;
      },
      { timeoutMs: 20_000 },
    ).then((bound) => expect(bound).toBe("worker"));
    const scheduled = JSON.parse(await kubectl("-n", "sched", "get", "pod", "fits", "-o", "json"));
    expect(scheduled.status.conditions).toContainEqual(
      expect.objectContaining({ type: "PodScheduled", status: "True" }),
    );

    await eventually("the scheduler to report the unfittable pod", async () =>
      schedulerLog.includes("sched/too-big") && schedulerLog.includes("FailedScheduling")
        ? true
        : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await nodeNameOf("too-big")).toBe("");
  }, 90_000);
});
