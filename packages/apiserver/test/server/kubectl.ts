import { execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The kubectl the tests drive (Debian's /usr/bin/kubectl 1.32). */
export const KUBECTL = process.env.KUBECTL ?? "kubectl";

/** Writes a kubeconfig for `server` that trusts `caPem` and sends `token`. */
export async function writeKubeconfig(
  dir: string,
  server: string,
  caPem: string,
  token: string,
): Promise<string> {
  const path = join(dir, "kubeconfig");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "kubekit",
        cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
      },
    ],
    users: [{ name: "admin", user: { token } }],
    contexts: [
      { name: "kubekit", context: { cluster: "kubekit", user: "admin", namespace: "default" } },
    ],
    "current-context": "kubekit",
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

/** What a kubectl run printed, and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with a kubeconfig (asynchronously: the server under test is in this process). */
export function kubectl(
  kubeconfig: string,
  args: readonly string[],
  stdin?: string,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ["--kubeconfig", kubeconfig, "--request-timeout=20s", ...args],
      {
        timeout: 60_000,
        env: {
          ...process.env,
          HOME: process.env.HOME ?? "/tmp",
          KUBECACHEDIR: join(kubeconfig, "..", "cache"),
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** kubectl that must succeed: returns stdout, throws with stderr otherwise. */
export async function kubectlOk(
  kubeconfig: string,
  args: readonly string[],
  stdin?: string,
): Promise<string> {
  const result = await kubectl(kubeconfig, args, stdin);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/**
 * Starts a long-running kubectl (e.g. `get -w`) and collects its stdout;
 * `waitFor` resolves once the output matches, or rejects after `timeoutMs`.
 */
export function kubectlStream(kubeconfig: string, args: readonly string[]) {
  const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, ...args], {
    env: { ...process.env, KUBECACHEDIR: join(kubeconfig, "..", "cache") },
  });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return {
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (pattern.test(output)) return output;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `kubectl ${args.join(" ")} never printed ${pattern}; stdout: ${output}; stderr: ${errors}`,
      );
    },
    stop() {
      child.kill("SIGTERM");
    },
  };
}
