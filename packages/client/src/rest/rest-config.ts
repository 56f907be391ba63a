/** TLS material for talking to the apiserver, already read from files. */
export interface TlsConfig {
  /** PEM bundle of CAs to trust; the system CAs when absent. */
  ca?: Buffer;
  /** PEM client certificate (with {@link key}) for x509 client auth. */
  cert?: Buffer;
  /** PEM private key for {@link cert}. */
  key?: Buffer;
  /** Skip verifying the server's certificate. Only for tests. */
  insecureSkipTLSVerify?: boolean;
  /** The name to verify the server's certificate against (SNI), when not the URL's host. */
  serverName?: string;
}

/** How requests authenticate (besides a client certificate). */
export interface AuthConfig {
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** A file holding the token, re-read now and then (service-account tokens rotate). */
  bearerTokenFile?: string;
  /** HTTP basic auth. */
  username?: string;
  password?: string;
}

/**
 * Everything needed to reach one apiserver as one user: what client-go calls
 * rest.Config. Built by {@link restConfigFromKubeconfig} or
 * {@link inClusterConfig}, or by hand.
 */
export interface RestConfig {
  /** Base URL, such as `https://127.0.0.1:6443` (a path prefix is kept). */
  server: string;
  tls: TlsConfig;
  auth: AuthConfig;
  /** The namespace the kubeconfig context or pod names, when it does. */
  namespace?: string;
  /** Sent as the User-Agent header. */
  userAgent?: string;
  /** Per-request timeout for non-watch requests, in ms (default 30 s). */
  timeoutMs?: number;
  /** Client-side throttle: requests per second (unset or 0: no throttle). */
  qps?: number;
  /** Client-side throttle: requests allowed at once (default 2 * qps, at least 1). */
  burst?: number;
  /** Retries of a 429 or 5xx that carries Retry-After (default 10, as upstream). */
  maxRetries?: number;
}
