import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Client } from "@connectrpc/connect";
import type { RuntimeService } from "@kubekit/proto/cri";
import type { Pod } from "../api/types.js";
import { authenticateClientCert } from "./client-cert-auth.js";
import { type ContainerLocator, createCriContainerLocator } from "./container-locator.js";
import { serveContainerLogs } from "./container-logs-handler.js";
import type { KubeletHandlerContext } from "./handler-context.js";
import { createKubeletServerMetrics } from "./metrics.js";
import { runningPods } from "./running-pods.js";
import { sendText } from "./send-text.js";
import { type KubeletServingCert, selfSignedKubeletCert } from "./serving-cert.js";
import { serveStreamUpgrade } from "./stream-handler.js";
import { refuseUpgrade } from "./upgrade-proxy.js";

/** How to build the kubelet API server. */
export interface KubeletServerOptions {
  /** The pods this kubelet runs, as the agent holds them (the apiserver's objects). */
  pods(): readonly Pod[];
  /** The CRI runtime: Exec and Attach give the streaming URLs; it also backs the default locator. */
  runtime: Client<typeof RuntimeService>;
  /** Finds container instances and log files; CRI lookups by default. */
  containers?: ContainerLocator;
  /** The serving certificate (`--tls-cert-file`/`--tls-private-key-file`); self-signed by default. */
  servingCert?: KubeletServingCert;
  /** PEM CA bundle client certificates must chain to (`--client-ca-file`); without it every request is 401. */
  clientCA?: string;
  /** The node's name and addresses, for the self-signed certificate. */
  nodeName?: string;
  addresses?: readonly string[];
  /** The clock for `sinceSeconds`, epoch ms (tests). */
  now?: () => number;
  /** How often a followed log file is polled when no change event came, ms (default 500). */
  logPollMs?: number;
  /** Called with errors no client could be told about. */
  onError?: (error: unknown) => void;
}

/** A running kubelet API server. */
export interface KubeletServer {
  readonly server: Server;
  /** The serving certificate (PEM), for clients that verify it. */
  readonly servingCert: KubeletServingCert;
  /** Starts listening; port 0 picks a free one. Resolves to `https://host:port`. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections and ends open ones (follows and exec sessions included). */
  close(): Promise<void>;
}

/**
 * The kubelet API (upstream's :10250): `/healthz`, `/pods`, `/runningpods/`, `/metrics`,
 * `/containerLogs/<ns>/<pod>/<container>`, and `/exec` and `/attach`
 * upgrades proxied to the runtime's streaming server. Clients
 * authenticate with a certificate signed by `clientCA`; every
 * authenticated user may do everything (upstream asks the apiserver with
 * a SubjectAccessReview).
 */
export function createKubeletServer(options: KubeletServerOptions): KubeletServer {
  const servingCert =
    options.servingCert ??
    selfSignedKubeletCert(options.nodeName ?? "localhost", options.addresses);
  const containers = options.containers ?? createCriContainerLocator(options.runtime);
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const metrics = createKubeletServerMetrics();
  const server = createServer({
    cert: servingCert.cert,
    key: servingCert.key,
    // Without a client CA nobody can authenticate: never fall back to the system roots.
    ...(options.clientCA ? { ca: options.clientCA, requestCert: true } : { requestCert: false }),
    rejectUnauthorized: false,
  });
  const ctx: KubeletHandlerContext = {
    pods: () => options.pods(),
    runtime: options.runtime,
    containers,
    now,
    logPollMs: options.logPollMs,
    onError,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://localhost");
    const path = url.pathname;
    const parts = path.split("/").filter((s) => s !== "");
    const first = parts[0] ?? "";
    metrics.request(req.method ?? "GET", path, first === "containerLogs");
    if (!authenticateClientCert(req.socket)) {
      req.resume();
      return sendText(res, 401, "Unauthorized");
    }
    if (req.method !== "GET" && first !== "exec" && first !== "attach") {
      req.resume();
      return sendText(res, 405, `method ${req.method} not allowed`);
    }
    switch (first) {
      case "healthz":
        return sendText(res, 200, "ok");
      case "pods":
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            kind: "PodList",
            apiVersion: "v1",
            metadata: {},
            items: options.pods(),
          }),
        );
        return;
      case "runningpods": {
        const [{ items }, { containers: running }] = await Promise.all([
          options.runtime.listPodSandbox({}),
          options.runtime.listContainers({}),
        ]);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            kind: "PodList",
            apiVersion: "v1",
            metadata: {},
            items: runningPods(items, running),
          }),
        );
        return;
      }
      case "metrics":
        res.writeHead(200, { "Content-Type": metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
        return;
      case "containerLogs":
        return serveContainerLogs(ctx, parts.slice(1), url, req, res);
      case "exec":
      case "attach":
        req.resume();
        return sendText(res, 400, "Upgrade request required");
      default:
        return sendText(res, 404, "404 page not found");
    }
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "https://localhost");
    const parts = url.pathname.split("/").filter((s) => s !== "");
    const kind = parts[0];
    metrics.request(req.method ?? "GET", url.pathname, true);
    if (!authenticateClientCert(req.socket))
      return refuseUpgrade(socket, 401, "Unauthorized", "Unauthorized");
    if (kind !== "exec" && kind !== "attach")
      return refuseUpgrade(socket, 404, "Not Found", "404 page not found");
    return serveStreamUpgrade(ctx, kind, parts.slice(1), url, req, socket, head);
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendText(res, 500, String(error));
      else res.destroy();
    });
  });
  // Upgraded sockets leave the server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    socket.on("error", () => {});
    upgrade(req, socket, head).catch((error: unknown) => {
      onError(error);
      socket.destroy();
    });
  });

  return {
    server,
    servingCert,
    async listen(port, host = "0.0.0.0") {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const bound = server.address() as AddressInfo;
      const shown = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
      return `https://${shown}:${bound.port}`;
    },
    async close() {
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
