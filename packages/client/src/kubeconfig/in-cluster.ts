import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RestConfig } from "../rest/rest-config.js";
import { KubeconfigError } from "./kubeconfig-error.js";

/** Where a pod finds its service-account credentials. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Inputs of {@link inClusterConfig}, injectable for tests. */
export interface InClusterOptions {
  /** Directory holding `token`, `ca.crt` and `namespace` (default {@link SERVICE_ACCOUNT_DIR}). */
  serviceAccountDir?: string;
  /** Environment with KUBERNETES_SERVICE_HOST/PORT (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * The config a pod uses to reach its own cluster: the apiserver at
 * KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, trusting the mounted CA,
 * authenticating with the mounted (rotating) service-account token.
 */
export async function inClusterConfig(options: InClusterOptions = {}): Promise<RestConfig> {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeconfigError(
      "<in-cluster>",
      "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT",
      "must both be set (not running in a pod?)",
    );
  }
  const tokenFile = join(dir, "token");
  const token = await readOrFail(tokenFile);
  if (token.toString("utf8").trim() === "") {
    throw new KubeconfigError(tokenFile, "", "is empty");
  }
  const ca = await readOrFail(join(dir, "ca.crt"));
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const config: RestConfig = {
    server: `https://${hostPart}:${port}`,
    tls: { ca },
    auth: { bearerTokenFile: tokenFile },
  };
  const namespace = await readFile(join(dir, "namespace"), "utf8").catch(() => "");
  if (namespace.trim()) {
    config.namespace = namespace.trim();
  }
  return config;
}

async function readOrFail(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new KubeconfigError(file, "", `cannot read: ${(err as Error).message}`, { cause: err });
  }
}
