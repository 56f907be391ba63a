import { Counter, collectDefaultMetrics, Registry } from "prom-client";

/** The kubelet API's Prometheus metrics, on a registry of its own. */
export interface KubeletServerMetrics {
  readonly registry: Registry;
  /** Counts a request: method, the path's first segment, and whether it streams. */
  request(method: string, path: string, longRunning: boolean): void;
}

/** Path segments counted by name; anything else counts as "other", so labels stay few. */
const KNOWN_PATHS = new Set([
  "healthz",
  "pods",
  "runningpods",
  "metrics",
  "containerLogs",
  "exec",
  "attach",
]);

/**
 * `kubelet_http_requests_total{method,path,server_type,long_running}` as
 * upstream's kubelet counts them, plus the process metrics.
 */
export function createKubeletServerMetrics(): KubeletServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "kubelet_http_requests_total",
    help: "Number of the http requests received since the server started",
    labelNames: ["method", "path", "server_type", "long_running"],
    registers: [registry],
  });
  return {
    registry,
    request(method, path, longRunning) {
      const first = path.split("/")[1] ?? "";
      requests.inc({
        method,
        path: KNOWN_PATHS.has(first) ? first : "other",
        server_type: "readwrite",
        long_running: String(longRunning),
      });
    },
  };
}
