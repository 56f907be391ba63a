import { once } from "node:events";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createCertificateAuthority, issueCertificate } from "@kubekit/pki";
import type { Registry } from "prom-client";

/** The manager's /healthz and /metrics endpoint. */
export interface HealthServer {
  /** `https://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (and `/livez`, `/readyz`) and `/metrics` over HTTPS
 * with a certificate made in memory at start, as kube-controller-manager
 * does when it is given no `--tls-cert-file`. Anyone may read them
 * (upstream authorizes through the apiserver; see the README).
 */
export async function serveHealthAndMetrics(
  host: string,
  port: number,
  registry: Registry,
  healthy: () => boolean,
): Promise<HealthServer> {
  const ca = createCertificateAuthority(
    `kube-controller-manager-ca@${Math.floor(Date.now() / 1000)}`,
  );
  const serving = issueCertificate(ca, {
    commonName: `localhost@${Math.floor(Date.now() / 1000)}`,
    names: [
      "localhost",
      "127.0.0.1",
      ...(host && host !== "0.0.0.0" && host !== "::" ? [host] : []),
    ],
    usages: ["server"],
  });
  const server = createHttpsServer(
    { cert: `${serving.cert}${ca.cert}`, key: serving.key },
    (req, res) => {
      const path = new URL(req.url ?? "/", "https://localhost").pathname;
      if (req.method !== "GET") {
        res.writeHead(405).end();
        return;
      }
      if (path === "/healthz" || path === "/livez" || path === "/readyz") {
        const ok = healthy();
        res.writeHead(ok ? 200 : 500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(ok ? "ok" : "unhealthy");
        return;
      }
      if (path === "/metrics") {
        registry.metrics().then(
          (text) => {
            res.writeHead(200, { "Content-Type": registry.contentType });
            res.end(text);
          },
          (err: unknown) => {
            res.writeHead(500).end(String(err));
          },
        );
        return;
      }
      res
        .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
        .end("404 page not found\n");
    },
  );
  server.listen(port, host);
  await once(server, "listening");
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `https://${shownHost}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
