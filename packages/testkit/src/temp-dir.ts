import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp dir, and a way to remove it again. */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** Creates a private temporary directory whose name starts with `kubekit-<prefix>-`. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `kubekit-${prefix}-`));
  return {
    path,
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
