import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { parseRequestInfo } from "../request/request-info.js";
import { type RequestLabels, requestLabels } from "./request-labels.js";

const LABELS = [
  "verb",
  "group",
  "version",
  "resource",
  "subresource",
  "scope",
  "component",
] as const;

// Upstream's buckets for apiserver_request_duration_seconds.
const DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

/** The apiserver's Prometheus metrics, in a registry of its own. */
export interface ApiServerMetrics {
  readonly registry: Registry;
  /** Starts measuring one request; the measurement ends when the response closes. */
  observe(req: IncomingMessage, res: ServerResponse): void;
  /** The text exposition of every metric, and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * Builds the apiserver's metrics, named as upstream's:
 * `apiserver_request_total` (by verb, group, version, resource,
 * subresource, scope, component and code), `apiserver_request_duration_seconds`
 * (long-running requests left out, as upstream does),
 * `apiserver_longrunning_requests` (open watches), `apiserver_current_inflight_requests`
 * and Node's process metrics.
 */
export function createApiServerMetrics(
  now: () => number = () => performance.now(),
): ApiServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const total = new Counter({
    name: "apiserver_request_total",
    help: "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
    labelNames: [...LABELS, "code", "dry_run"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "apiserver_request_duration_seconds",
    help: "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
    labelNames: [...LABELS, "dry_run"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const longRunning = new Gauge({
    name: "apiserver_longrunning_requests",
    help: "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.",
    labelNames: LABELS,
    registers: [registry],
  });
  const inflight = new Gauge({
    name: "apiserver_current_inflight_requests",
    help: "Maximal number of currently used inflight request limit of this apiserver per request kind in last second.",
    labelNames: ["request_kind"],
    registers: [registry],
  });

  return {
    registry,
    observe(req, res) {
      const url = new URL(req.url ?? "/", "https://localhost");
      const method = req.method ?? "GET";
      const parsed = parseRequestInfo({ method, path: url.pathname, query: url.searchParams });
      const labels: RequestLabels = requestLabels(
        parsed.ok ? parsed.info : undefined,
        method,
        req.headers["content-type"],
      );
      const dryRun = url.searchParams.has("dryRun") ? "All" : "";
      const long = labels.verb === "WATCH" || labels.verb === "CONNECT";
      const kind = ["GET", "LIST", "WATCH", "HEAD"].includes(labels.verb) ? "readOnly" : "mutating";
      const started = now();
      if (long) longRunning.inc(labels);
      else inflight.inc({ request_kind: kind });
      res.once("close", () => {
        if (long) longRunning.dec(labels);
        else {
          inflight.dec({ request_kind: kind });
          duration.observe({ ...labels, dry_run: dryRun }, (now() - started) / 1000);
        }
        total.inc({ ...labels, dry_run: dryRun, code: String(res.statusCode) });
      });
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
