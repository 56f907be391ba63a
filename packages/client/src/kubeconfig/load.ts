import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeconfigError } from "./kubeconfig-error.js";
import { mergeKubeconfigs } from "./merge.js";
import { parseKubeconfig } from "./parse.js";
import type { Kubeconfig } from "./types.js";

/** Where {@link loadKubeconfig} looks. */
export interface LoadKubeconfigOptions {
  /** An explicit file (kubectl's `--kubeconfig`): it must exist; KUBECONFIG is ignored. */
  path?: string;
  /** Environment to read KUBECONFIG from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Home directory for the `~/.kube/config` default (default `os.homedir()`). */
  home?: string;
}

/** Reads and parses one kubeconfig file. */
export async function loadKubeconfigFile(file: string): Promise<Kubeconfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new KubeconfigError(file, "", `cannot read: ${(err as Error).message}`, { cause: err });
  }
  return parseKubeconfig(text, file);
}

/**
 * Loads a kubeconfig the way kubectl finds one: an explicit path; else the
 * files listed in KUBECONFIG (separated by the platform's path delimiter),
 * merged first-wins, skipping files that do not exist; else
 * `~/.kube/config`.
 */
export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<Kubeconfig> {
  if (options.path) {
    return loadKubeconfigFile(options.path);
  }
  const env = options.env ?? process.env;
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((file) => file !== "");
  if (listed.length === 0) {
    return loadKubeconfigFile(join(options.home ?? homedir(), ".kube", "config"));
  }
  const seen = new Set<string>();
  const configs: Kubeconfig[] = [];
  for (const file of listed) {
    if (seen.has(file)) {
      continue;
    }
    seen.add(file);
    try {
      configs.push(await loadKubeconfigFile(file));
    } catch (err) {
      if (isMissingFile(err)) {
        continue;
      }
      throw err;
    }
  }
  if (configs.length === 0) {
    throw new KubeconfigError(listed.join(delimiter), "", "none of the KUBECONFIG files exist");
  }
  return mergeKubeconfigs(configs);
}

function isMissingFile(err: unknown): boolean {
  return (
    err instanceof KubeconfigError &&
    (err.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT"
  );
}
