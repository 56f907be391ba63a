import { readdir, rmdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Container, Pod } from "../src/index.js";

/** Polls `check` every 100 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const attempts = Math.ceil(timeoutMs / 100);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A pod in `default` with one container per entry. */
export function makePod(
  name: string,
  containers: Container[],
  spec: Partial<Pod["spec"]> = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}-${process.pid}` },
    spec: { containers, nodeName: "node-a", terminationGracePeriodSeconds: 2, ...spec },
  };
}

/** Removes a cgroup subtree (empty directories only) from every v1 hierarchy and v2. */
export async function removeCgroupTree(path: string): Promise<void> {
  const hierarchies = await readdir("/sys/fs/cgroup").catch(() => [] as string[]);
  for (const hierarchy of [...hierarchies, "."]) {
    await removeEmptyTree(`/sys/fs/cgroup/${hierarchy}${path}`);
  }
}

async function removeEmptyTree(dir: string, depth = 0): Promise<void> {
  if (depth > 4) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory()) await removeEmptyTree(`${dir}/${entry.name}`, depth + 1);
  }
  await rmdir(dir).catch(() => {});
}
