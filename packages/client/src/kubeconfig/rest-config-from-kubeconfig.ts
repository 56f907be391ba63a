import { readFile } from "node:fs/promises";
import type { RestConfig } from "../rest/rest-config.js";
import { KubeconfigError } from "./kubeconfig-error.js";
import type { Kubeconfig } from "./types.js";

/** Which context {@link restConfigFromKubeconfig} uses. */
export interface RestConfigOptions {
  /** A context name; the kubeconfig's current-context when absent. */
  context?: string;
}

/**
 * Resolves a context of a kubeconfig into a {@link RestConfig}: server URL,
 * TLS material read from the referenced files (inline `*-data` wins over a
 * file, as in kubectl), and the user's token or basic-auth credentials.
 */
export async function restConfigFromKubeconfig(
  config: Kubeconfig,
  options: RestConfigOptions = {},
): Promise<RestConfig> {
  const contextName = options.context ?? config.currentContext;
  const anyOrigin = config.origins.values().next().value ?? "<kubeconfig>";
  if (!contextName) {
    throw new KubeconfigError(anyOrigin, "current-context", "is not set and no context was given");
  }
  const context = config.contexts.get(contextName);
  if (!context) {
    throw new KubeconfigError(anyOrigin, "contexts", `has no context named "${contextName}"`);
  }
  const contextFile = config.origins.get(`contexts/${contextName}`) ?? anyOrigin;
  const cluster = config.clusters.get(context.cluster);
  if (!cluster) {
    throw new KubeconfigError(
      contextFile,
      `contexts.${contextName}.cluster`,
      `names cluster "${context.cluster}", which is not defined`,
    );
  }
  const clusterFile = config.origins.get(`clusters/${context.cluster}`) ?? contextFile;
  const user = context.user ? config.users.get(context.user) : {};
  if (!user) {
    throw new KubeconfigError(
      contextFile,
      `contexts.${contextName}.user`,
      `names user "${context.user}", which is not defined`,
    );
  }
  const userFile = config.origins.get(`users/${context.user}`) ?? contextFile;

  // Silently ignoring these would send requests unauthenticated or around a proxy.
  for (const [entry, file, path] of [
    [cluster, clusterFile, `clusters.${context.cluster}`],
    [user, userFile, `users.${context.user}`],
  ] as const) {
    const [first] = entry.unsupported ?? [];
    if (first !== undefined) {
      throw new KubeconfigError(
        file,
        `${path}.${first}`,
        "is not supported by @kubekit/client yet",
      );
    }
  }

  let server: URL;
  try {
    // As client-go: a bare host:port means HTTPS.
    server = new URL(cluster.server.includes("://") ? cluster.server : `https://${cluster.server}`);
  } catch (err) {
    throw new KubeconfigError(
      clusterFile,
      `clusters.${context.cluster}.server`,
      `"${cluster.server}" is not a URL`,
      { cause: err },
    );
  }

  if (server.protocol !== "https:" && server.protocol !== "http:") {
    throw new KubeconfigError(
      clusterFile,
      `clusters.${context.cluster}.server`,
      `"${cluster.server}" must be an http(s) URL`,
    );
  }
  const rest: RestConfig = { server: server.href.replace(/\/+$/, ""), tls: {}, auth: {} };
  const ca =
    cluster.certificateAuthorityData ??
    (await readMaterial(
      cluster.certificateAuthority,
      clusterFile,
      `clusters.${context.cluster}.certificate-authority`,
    ));
  if (ca && cluster.insecureSkipTlsVerify) {
    // As kubectl: trusting a CA and trusting anything at once is a mistake, not a choice.
    throw new KubeconfigError(
      clusterFile,
      `clusters.${context.cluster}.insecure-skip-tls-verify`,
      "cannot be combined with a certificate authority",
    );
  }
  if (ca) rest.tls.ca = ca;
  if (cluster.insecureSkipTlsVerify) rest.tls.insecureSkipTLSVerify = true;
  if (cluster.tlsServerName) rest.tls.serverName = cluster.tlsServerName;

  const userPath = `users.${context.user}`;
  const cert =
    user.clientCertificateData ??
    (await readMaterial(user.clientCertificate, userFile, `${userPath}.client-certificate`));
  const key =
    user.clientKeyData ?? (await readMaterial(user.clientKey, userFile, `${userPath}.client-key`));
  if ((cert === undefined) !== (key === undefined)) {
    throw new KubeconfigError(
      userFile,
      userPath,
      "client certificate and client key must be given together",
    );
  }
  if (cert) rest.tls.cert = cert;
  if (key) rest.tls.key = key;
  if (user.token) rest.auth.bearerToken = user.token;
  else if (user.tokenFile) rest.auth.bearerTokenFile = user.tokenFile;
  if (user.username !== undefined) rest.auth.username = user.username;
  if (user.password !== undefined) rest.auth.password = user.password;
  if (context.namespace) rest.namespace = context.namespace;
  return rest;
}

async function readMaterial(
  path: string | undefined,
  file: string,
  field: string,
): Promise<Buffer | undefined> {
  if (path === undefined) {
    return undefined;
  }
  try {
    return await readFile(path);
  } catch (err) {
    throw new KubeconfigError(file, field, `cannot read ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
