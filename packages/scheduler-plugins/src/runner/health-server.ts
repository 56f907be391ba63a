/**
 * kube-scheduler's secure port: /healthz, /livez, /readyz and /metrics
 * over HTTPS with a self-signed certificate made at start (as upstream does
 * when given no --tls-cert-file). Unauthenticated: kubekit does not yet
 * delegate authn/authz to the apiserver as upstream does.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { createCertificateAuthority, issueCertificate } from "@kubekit/pki";
import type { Registry } from "prom-client";

/** A running health/metrics endpoint. */
export interface HealthServer {
  /** e.g. `https://127.0.0.1:10259` */
  readonly url: string;
  close(): Promise<void>;
}

/** What the endpoint reports on. */
export interface HealthServerOptions {
  bindAddress: string;
  port: number;
  registry: Registry;
  /** Ready means caches synced (and, with leader election, nothing more: followers are ready too). */
  ready: () => boolean;
}

/** Serves health and metrics until closed. */
export async function serveHealth(o: HealthServerOptions): Promise<HealthServer> {
  const ca = createCertificateAuthority(`kube-scheduler-ca@${Math.floor(Date.now() / 1000)}`);
  const names = ["localhost", "127.0.0.1", hostname()];
  if (o.bindAddress !== "0.0.0.0" && o.bindAddress !== "::") names.push(o.bindAddress);
  const serving = issueCertificate(ca, { commonName: "kube-scheduler", names, usages: ["server"] });
  const server: Server = createServer(
    { cert: `${serving.cert}${ca.cert}`, key: serving.key },
    async (request, response) => {
      const path = (request.url ?? "/").split("?")[0];
      if (path === "/metrics") {
        response.writeHead(200, { "content-type": o.registry.contentType });
        response.end(await o.registry.metrics());
        return;
      }
      if (path === "/healthz" || path === "/livez") {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("ok");
        return;
      }
      if (path === "/readyz") {
        const ready = o.ready();
        response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" });
        response.end(ready ? "ok" : "informers not synced");
        return;
      }
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found\n");
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.bindAddress, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.bindAddress === "0.0.0.0" || o.bindAddress === "::" ? "127.0.0.1" : o.bindAddress;
  return {
    url: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
