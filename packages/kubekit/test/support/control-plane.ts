import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  eventually,
  freePort,
  makeTempDir,
  type RunningEtcd,
  startEtcd,
  type TempDir,
} from "@kubekit/testkit";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../../bin/kubekit.js", import.meta.url));

/** A `kubekit` process a test started, with what it printed so far. */
export interface KubekitProcess {
  readonly child: ChildProcess;
  /** stdout and stderr together. */
  log(): string;
}

/**
 * `kubekit store` and `kubekit apiserver` started as processes on loopback,
 * with a kubeconfig for an admin token: the bottom of a control plane, as
 * an operator runs it, for end-to-end tests.
 */
export interface ControlPlane {
  readonly dir: TempDir;
  readonly storePort: number;
  readonly kubeconfig: string;
  /** Runs the real kubectl against the apiserver; resolves with stdout. */
  kubectl(...args: string[]): Promise<string>;
  /** Starts another `kubekit` subcommand, stopped with the rest. */
  start(...args: string[]): KubekitProcess;
  /** SIGTERMs every process and removes the temporary directory. */
  stop(): Promise<void>;
}

/** Which store the apiserver runs on: a `kubekit store` process (the default) or a real etcd 3.4. */
export type ControlPlaneStore = "kubekit" | "etcd";

/** Starts a store and an apiserver and waits until kubectl lists namespaces. */
export async function startControlPlane(
  name: string,
  store: ControlPlaneStore = "kubekit",
): Promise<ControlPlane> {
  const dir = await makeTempDir(name);
  const etcd: RunningEtcd | undefined = store === "etcd" ? await startEtcd() : undefined;
  const storePort = etcd?.clientPort ?? (await freePort());
  const peerPort = await freePort();
  const apiPort = await freePort();
  const children: ChildProcess[] = [];
  const start = (...args: string[]): KubekitProcess => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    return { child, log: () => output };
  };
  const kubeconfig = join(dir.path, "kubeconfig");
  const kubectl = async (...args: string[]) =>
    (await run("kubectl", [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 30_000 })).stdout;
  const stop = async () => {
    for (const child of children) child.kill("SIGTERM");
    await etcd?.stop();
    await dir.remove();
  };

  await writeFile(join(dir.path, "tokens.csv"), 'e2e-admin-token,admin,1,"system:masters"\n');
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
  if (!etcd)
    start(
      "store",
      "--name=s1",
      `--data-dir=${join(dir.path, "store")}`,
      `--listen-client-urls=http://127.0.0.1:${storePort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    );
  const apiserver = start(
    "apiserver",
    `--etcd-servers=http://127.0.0.1:${storePort}`,
    `--secure-port=${apiPort}`,
    "--bind-address=127.0.0.1",
    `--cert-dir=${join(dir.path, "certs")}`,
    `--token-auth-file=${join(dir.path, "tokens.csv")}`,
  );
  try {
    await eventually(
      "the apiserver to serve namespaces",
      async () => {
        if (apiserver.child.exitCode !== null) {
          throw new Error(`kubekit apiserver exited: ${apiserver.log()}`);
        }
        return (
          (await kubectl("get", "namespaces", "-o", "name")).includes("namespace/kube-system") ||
          undefined
        );
      },
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, storePort, kubeconfig, kubectl, start, stop };
}
