import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** What a kubectl run printed, and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl still running: its output so far, its end, and a way to stop it. */
export interface RunningKubectl {
  stdout(): string;
  readonly done: Promise<KubectlResult>;
  readonly child: ChildProcess;
}

/** Writes a kubeconfig for `server` that trusts `caPem` and sends `token`. */
export async function writeKubeconfig(
  dir: string,
  server: string,
  caPem: string,
  token: string,
): Promise<string> {
  const path = join(dir, "kubeconfig");
  await writeFile(
    path,
    JSON.stringify({
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
    }),
  );
  return path;
}

/** Starts the real kubectl (Debian's 1.32) against a kubeconfig; the server under test runs in this process. */
export function startKubectl(
  kubeconfig: string,
  args: readonly string[],
  stdin?: string,
): RunningKubectl {
  const child = spawn(process.env.KUBECTL ?? "kubectl", ["--kubeconfig", kubeconfig, ...args], {
    env: { ...process.env, KUBECACHEDIR: join(kubeconfig, "..", "cache") },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
  });
  if (stdin === undefined) child.stdin.end();
  else child.stdin.end(stdin);
  // A kubectl that hangs fails the test instead of holding it forever.
  const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const done = new Promise<KubectlResult>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
  return { stdout: () => stdout, done, child };
}

/** Runs kubectl to its end. */
export function kubectl(
  kubeconfig: string,
  args: readonly string[],
  stdin?: string,
): Promise<KubectlResult> {
  return startKubectl(kubeconfig, args, stdin).done;
}
