/** A cluster entry: where the apiserver is and how to trust it. */
export interface KubeconfigCluster {
  server: string;
  /** Absolute path (relative paths are resolved against the defining file's directory). */
  certificateAuthority?: string;
  /** PEM, decoded from base64. */
  certificateAuthorityData?: Buffer;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  /** Settings present in the file that this package cannot honour yet (e.g. `proxy-url`). */
  unsupported?: string[];
}

/** A user entry: the credentials to present. */
export interface KubeconfigUser {
  clientCertificate?: string;
  clientCertificateData?: Buffer;
  clientKey?: string;
  clientKeyData?: Buffer;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Settings present in the file that this package cannot honour yet (`exec`, `auth-provider`). */
  unsupported?: string[];
}

/** A context entry: a cluster, a user and a default namespace. */
export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}

/**
 * A kubeconfig after parsing (and merging, when several files are given):
 * entries keyed by name, file paths absolute, `*-data` fields decoded, and
 * for each entry the file it came from, for error messages.
 */
export interface Kubeconfig {
  currentContext?: string;
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  /** `"clusters/<name>"` (and users/, contexts/) → the file that defined it. */
  origins: Map<string, string>;
}
