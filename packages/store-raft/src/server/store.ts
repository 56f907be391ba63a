import { randomBytes } from "node:crypto";
import { type ConnectRouter, createRouterTransport, type Transport } from "@connectrpc/connect";
import { Cluster, KV, Lease, Maintenance, Watch } from "@kubekit/proto/etcd";
import { KvStateMachine } from "../kv/state-machine.js";
import { DEFAULT_MAX_TXN_OPS } from "../kv/validate.js";
import { WatchHub } from "../watch/watch-hub.js";
import type { ServerContext } from "./context.js";
import { createKvService, kvUnaryRoutes } from "./kv-service.js";
import { createLeaseService, startLeaseExpiry } from "./lease-service.js";
import { LocalReplicator } from "./local-replicator.js";
import { createClusterService, createMaintenanceService } from "./maintenance-service.js";
import { type GrpcListener, serveGrpc } from "./serve-grpc.js";
import { createWatchService } from "./watch-service.js";

/** etcd's default --max-request-bytes: 1.5 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** What gRPC accepts beyond --max-request-bytes before refusing a message outright (as etcd). */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;
/** The version Status reports: the etcd API level we serve, marked as kubekit's. */
export const STORE_VERSION = "3.4.0-kubekit.0";

/** Options of an embedded store. */
export interface StoreOptions {
  /** The member's name (etcd's --name). */
  readonly name?: string;
  /** URLs clients reach this member at, as MemberList reports them. */
  readonly clientUrls?: readonly string[];
  readonly maxRequestBytes?: number;
  readonly maxTxnOps?: number;
  /** Shortest lease TTL granted, in seconds. */
  readonly minLeaseTtlSeconds?: number;
  /** How often progress_notify watches hear from the server, in ms (etcd: 10 min). */
  readonly progressNotifyIntervalMs?: number;
  /** Milliseconds now; injected for tests. */
  readonly now?: () => number;
}

/** A member serving gRPC on a TCP address. */
export interface ListeningStore {
  /** `http://127.0.0.1:PORT`, for clients' endpoint lists. */
  readonly url: string;
  close(): Promise<void>;
}

/** An embedded store: the etcd v3 API in this process. */
export interface Store {
  /** Registers the etcd services on a Connect router. */
  readonly routes: (router: ConnectRouter) => void;
  /** A transport to this store with no socket, for clients in this process. */
  readonly transport: Transport;
  /** How many watchers the store serves now (etcd's `etcd_debugging_mvcc_watcher_total`). */
  watcherCount(): number;
  /** Serves the etcd v3 gRPC API on `host:port` (port 0 picks one). */
  listen(port: number, host?: string): Promise<ListeningStore>;
  /** Stops background work and every listener. */
  close(): Promise<void>;
}

/** Registers the etcd v3 services of one member on a Connect router. */
export function etcdRoutes(context: ServerContext): (router: ConnectRouter) => void {
  return (router) => {
    router.service(KV, createKvService(context));
    router.service(Watch, createWatchService(context));
    router.service(Lease, createLeaseService(context));
    router.service(Maintenance, createMaintenanceService(context));
    router.service(Cluster, createClusterService(context));
  };
}

/** A random positive 63-bit number (IDs etcd clients see as int64). */
export function random63(): bigint {
  return randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
}

/**
 * Creates a single-member store in this process. (Multi-member Raft
 * clusters and durability arrive with the Raft-backed replicator; this one
 * applies writes directly and keeps its state in memory.)
 */
export function createStore(options: StoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const stateMachine = new KvStateMachine({ minLeaseTtlSeconds: options.minLeaseTtlSeconds ?? 5 });
  const memberId = random63();
  const replicator = new LocalReplicator({
    stateMachine,
    member: {
      id: memberId,
      name: options.name ?? "default",
      peerUrls: [],
      clientUrls: [...(options.clientUrls ?? [])],
      isLearner: false,
    },
    clusterId: random63(),
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    now,
  });
  const watchHub = new WatchHub(() => stateMachine.mvcc);
  stateMachine.onEvents((events, revision) => watchHub.publish(events, revision));
  const context: ServerContext = {
    stateMachine,
    replicator,
    watchHub,
    now,
    randomId: random63,
    maxTxnOps: options.maxTxnOps ?? DEFAULT_MAX_TXN_OPS,
    version: STORE_VERSION,
    progressNotifyIntervalMs: options.progressNotifyIntervalMs ?? 10 * 60 * 1000,
  };
  const routes = etcdRoutes(context);
  const fastUnary = kvUnaryRoutes(context);
  const stopExpiry = startLeaseExpiry(context);
  const listeners = new Set<GrpcListener>();
  const readMaxBytes = (options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES) + GRPC_OVERHEAD_BYTES;

  return {
    routes,
    transport: createRouterTransport(routes, { router: { readMaxBytes } }),
    watcherCount: () => watchHub.size,
    async listen(port, host = "127.0.0.1") {
      const listener = await serveGrpc(routes, { port, host, readMaxBytes, fastUnary });
      listeners.add(listener);
      return {
        url: listener.url,
        close: async () => {
          listeners.delete(listener);
          await listener.close();
        },
      };
    },
    async close() {
      stopExpiry();
      await Promise.all([...listeners].map((listener) => listener.close()));
      listeners.clear();
    },
  };
}
