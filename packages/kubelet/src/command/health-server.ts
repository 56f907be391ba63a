import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** The kubelet's plain-HTTP health endpoint (`--healthz-port`). */
export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (200 `ok` while `healthy()` says so, else 503 with the
 * reason) and `/metrics` (Prometheus text from `registry`) over HTTP/1.1,
 * as upstream's kubelet does on its healthz port.
 */
export async function serveHealth(
  address: { host: string; port: number },
  healthy: () => string | undefined,
  registry: Registry,
): Promise<HealthServer> {
  const server: Server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": registry.contentType });
      response.end(await registry.metrics());
      return;
    }
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      const problem = healthy();
      response.writeHead(problem ? 503 : 200, { "content-type": "text/plain" });
      response.end(problem ? `${problem}\n` : "ok");
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
