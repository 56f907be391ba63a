import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs kubectl on `kubeconfig` (HOME pointed away from ~/.kube) and returns its stdout. */
export async function kubectl(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const child = run("kubectl", ["--kubeconfig", kubeconfig, ...args], {
    env: { PATH: process.env.PATH, HOME: "/nonexistent" },
    timeout: 90_000,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}
