import type { RestConfig } from "./rest-config.js";

/** A request before it is sent: what {@link buildRequest} produces and the HTTP client sends. */
export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** What to send. */
export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the server URL, starting with `/`, query string included. */
  path: string;
  /** Serialised as JSON unless already a string. */
  body?: unknown;
  /** Content-Type of the body (default `application/json`). */
  contentType?: string;
}

/**
 * Builds the URL and headers of a request: the server's path prefix kept,
 * JSON accepted, the bearer token or basic credentials attached.
 */
export function buildRequest(
  config: RestConfig,
  spec: RequestSpec,
  token: string | undefined,
): PreparedRequest {
  const base = new URL(config.server);
  const prefix = base.pathname.replace(/\/+$/, "");
  const url = new URL(prefix + spec.path, base.origin);
  const headers: Record<string, string> = { accept: "application/json" };
  if (config.userAgent) {
    headers["user-agent"] = config.userAgent;
  }
  if (token) {
    headers.authorization = `Bearer ${token}`;
  } else if (config.auth.username !== undefined) {
    const credentials = `${config.auth.username}:${config.auth.password ?? ""}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  const prepared: PreparedRequest = { method: spec.method, url, headers };
  if (spec.body !== undefined) {
    prepared.body = typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
    headers["content-type"] = spec.contentType ?? "application/json";
  }
  return prepared;
}
