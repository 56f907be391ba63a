import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { KvStateMachine } from "../kv/state-machine.js";
import type { RaftReplicator } from "../server/raft-replicator.js";

/** The /health, /healthz, /readyz and /metrics endpoint of a member. */
export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a member's health and Prometheus metrics over HTTP/1.1 (etcd's
 * --listen-metrics-urls). Healthy means the member knows a leader, as
 * etcd's /health answers.
 */
export async function serveHealth(
  address: { host: string; port: number },
  replicator: RaftReplicator,
  stateMachine: KvStateMachine,
): Promise<HealthServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "etcd_server_has_leader",
    help: "Whether this member knows a leader (1) or not (0).",
    registers: [registry],
    collect() {
      this.set(replicator.status().leader === 0n ? 0 : 1);
    },
  });
  new Gauge({
    name: "etcd_server_is_leader",
    help: "Whether this member is the leader.",
    registers: [registry],
    collect() {
      this.set(replicator.isLeader ? 1 : 0);
    },
  });
  new Gauge({
    name: "etcd_mvcc_current_revision",
    help: "The store's current revision.",
    registers: [registry],
    collect() {
      this.set(stateMachine.mvcc.currentRevision);
    },
  });
  new Gauge({
    name: "etcd_server_applied_index",
    help: "The last Raft index applied to the store.",
    registers: [registry],
    collect() {
      this.set(Number(replicator.status().appliedIndex));
    },
  });
  const server: Server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": registry.contentType });
      response.end(await registry.metrics());
      return;
    }
    if (path === "/health" || path === "/healthz" || path === "/readyz" || path === "/livez") {
      const healthy = path === "/livez" || replicator.status().leader !== 0n;
      response.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ health: String(healthy), reason: healthy ? "" : "no leader" }));
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
