import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** One cluster, one user authenticated by a client certificate, one context. */
export interface KubeconfigSpec {
  /** `https://host:port` of the apiserver. */
  readonly server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  readonly caCert: string;
  /** PEM client certificate and key: CN is the user, O the groups. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** Names of the cluster, user and context (default `kubekit`, `admin`). */
  readonly clusterName?: string;
  readonly userName?: string;
}

const b64 = (pem: string) => Buffer.from(pem, "utf8").toString("base64");

/**
 * A kubeconfig with the certificates inline (`*-data`), so the file alone
 * is enough for kubectl, client-go or @kubekit/client. Every value is
 * base64 or a URL, so the fixed YAML shape needs no quoting.
 */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.clusterName ?? "kubekit";
  const user = spec.userName ?? "admin";
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${cluster}`,
    "  cluster:",
    `    server: ${spec.server}`,
    `    certificate-authority-data: ${b64(spec.caCert)}`,
    "users:",
    `- name: ${user}`,
    "  user:",
    `    client-certificate-data: ${b64(spec.clientCert)}`,
    `    client-key-data: ${b64(spec.clientKey)}`,
    "contexts:",
    `- name: ${cluster}`,
    "  context:",
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    `current-context: ${cluster}`,
    "",
  ].join("\n");
}

/** Writes a kubeconfig (mode 0600: it holds a private key) through a rename. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  await writeFile(partial, renderKubeconfig(spec), { mode: 0o600 });
  await rename(partial, path);
}
