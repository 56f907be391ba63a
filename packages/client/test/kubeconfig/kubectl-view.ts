import { execFile } from "node:child_process";
import { delimiter } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface KubectlView {
  "current-context"?: string;
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: Record<string, unknown> }>;
}

/** What kubectl makes of KUBECONFIG: merged, with files read and inlined (`--flatten`); `home` keeps ~/.kube out. */
export async function kubectlView(home: string, files: string[]): Promise<KubectlView> {
  const { stdout } = await run("kubectl", ["config", "view", "--raw", "--flatten", "-o", "json"], {
    env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: files.join(delimiter) },
    timeout: 20_000,
  });
  return JSON.parse(stdout) as KubectlView;
}
