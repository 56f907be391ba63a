import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { eventually } from "@kubekit/testkit";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../../../packages/kubekit/bin/kubekit.js", import.meta.url));

/** Ports a `kubekit up` listens on; fixed per data dir so a restart finds the same store. */
export interface UpPorts {
  readonly securePort: number;
  readonly storeClientPort: number;
  readonly storePeerPort: number;
  readonly kubeletPort: number;
}

/** A running `kubekit up` process. */
export interface UpProcess {
  readonly child: ChildProcess;
  readonly kubeconfig: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  kubectl(...args: string[]): Promise<string>;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `kubekit up` on `dataDir` and waits for its "kubekit is up" line. */
export async function startUp(
  dataDir: string,
  ports: UpPorts,
  extra: string[] = [],
): Promise<UpProcess> {
  const child = spawn(
    process.execPath,
    [
      bin,
      "up",
      "--data-dir",
      dataDir,
      "--secure-port",
      String(ports.securePort),
      "--store-client-port",
      String(ports.storeClientPort),
      "--store-peer-port",
      String(ports.storePeerPort),
      "--kubelet-port",
      String(ports.kubeletPort),
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = once(child, "exit");
  const kubeconfig = join(dataDir, "kubeconfig");
  const up: UpProcess = {
    child,
    kubeconfig,
    output: () => output,
    async kubectl(...args) {
      const { stdout } = await run("kubectl", [`--kubeconfig=${kubeconfig}`, ...args], {
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
  await eventually(
    "kubekit up is ready",
    async () => {
      if (child.exitCode !== null)
        throw new Error(`kubekit up exited ${child.exitCode}:\n${output}`);
      if (!output.includes("kubekit is up")) throw new Error(`not up yet:\n${output.slice(-2000)}`);
      return true;
    },
    { timeoutMs: 180_000, intervalMs: 250 },
  );
  return up;
}
