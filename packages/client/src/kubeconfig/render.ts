import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** How the kubeconfig's user authenticates: a bearer token, or a client certificate (CN user, O groups). */
export type KubeconfigCredentials =
  | { readonly token: string }
  | { readonly clientCert: string; readonly clientKey: string };

/** One cluster, one user, one context: what a component or an admin needs to reach an apiserver. */
export interface KubeconfigSpec {
  /** `https://host:port` of the apiserver. */
  readonly server: string;
  /** PEM of the CA that signed the apiserver's serving certificate (or the self-signed certificate itself). */
  readonly caCert: string;
  readonly user: KubeconfigCredentials;
  /** Names of the cluster, user and context (default `kubekit`, `admin`). */
  readonly clusterName?: string;
  readonly userName?: string;
}

const b64 = (pem: string) => Buffer.from(pem, "utf8").toString("base64");

/** The user's credential lines; a token is written as a JSON string, which YAML reads unchanged. */
function credentialLines(user: KubeconfigCredentials): string[] {
  if ("token" in user) return [`    token: ${JSON.stringify(user.token)}`];
  return [
    `    client-certificate-data: ${b64(user.clientCert)}`,
    `    client-key-data: ${b64(user.clientKey)}`,
  ];
}

/**
 * A kubeconfig with the certificates inline (`*-data`), so the file alone
 * is enough for kubectl, client-go or @kubekit/client. Every other value is
 * base64, a URL or a JSON string, so the fixed YAML shape needs no library.
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
    ...credentialLines(spec.user),
    "contexts:",
    `- name: ${cluster}`,
    "  context:",
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    `current-context: ${cluster}`,
    "",
  ].join("\n");
}

/** Writes a kubeconfig (mode 0600: it holds a credential) through a rename, so readers never see half a file. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  await writeFile(partial, renderKubeconfig(spec), { mode: 0o600 });
  await rename(partial, path);
}
