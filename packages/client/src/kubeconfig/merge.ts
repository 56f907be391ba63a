import type { Kubeconfig } from "./types.js";

/**
 * Merges kubeconfigs as kubectl merges the files of KUBECONFIG: for every
 * cluster, user and context name the first file that defines it wins, and
 * the first non-empty current-context wins. Entries are never merged field
 * by field.
 */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const merged: Kubeconfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    origins: new Map(),
  };
  for (const config of configs) {
    if (merged.currentContext === undefined && config.currentContext) {
      merged.currentContext = config.currentContext;
    }
    for (const kind of ["clusters", "users", "contexts"] as const) {
      const target = merged[kind] as Map<string, unknown>;
      for (const [name, entry] of config[kind] as Map<string, unknown>) {
        if (target.has(name)) {
          continue;
        }
        target.set(name, entry);
        const origin = config.origins.get(`${kind}/${name}`);
        if (origin !== undefined) {
          merged.origins.set(`${kind}/${name}`, origin);
        }
      }
    }
  }
  return merged;
}
