import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import {
  createWatchCacheRegistry,
  type WatchCacheOptions,
  type WatchCacheRegistry,
} from "../cache/cache-registry.js";
import { startCrdController } from "../crd/crd-controller.js";
import { internalError } from "../errors/builders.js";
import { createApiServerMetrics } from "../metrics/apiserver-metrics.js";
import { createResourceIndex, type ResourceIndex } from "../registry/resource-index.js";
import { parseIpRange, parsePortRange } from "../services/ip-range.js";
import { advertiseAddressFor, ensureKubernetesService } from "../services/kubernetes-service.js";
import { createServiceAllocator } from "../services/service-allocator.js";
import { createObjectStore } from "../storage/object-store.js";
import { ensureSystemNamespaces } from "./bootstrap-namespaces.js";
import { sendStatus } from "./http-io.js";
import { NamespaceMemo } from "./namespace-memo.js";
import { routeUpgrade } from "./proxy/route-upgrade.js";
import type { ServerContext } from "./request-context.js";
import { routeRequest } from "./route-request.js";
import { ensureServingCert, generateServingCert, type ServingCert } from "./serving-cert.js";
import type { UserInfo } from "./token-file.js";

const READY_TIMEOUT_MS = 3_000;

/** How to build an API server. Only the store is required. */
export interface ApiServerOptions {
  /** The etcd v3 API: a gRPC transport to etcd or store-raft, or store-raft's in-process transport. */
  etcdTransport: Transport;
  /** How long to wait for the store to answer at start, in ms (default 60 s). */
  storeWaitMs?: number;
  /** Where the generated serving cert is kept; without it (and without `servingCert`) one is made in memory. */
  certDir?: string;
  /** A serving cert to use instead of generating one. */
  servingCert?: ServingCert;
  /** Bearer tokens and their users (see `parseTokenFile`); no tokens means every request is anonymous (401). */
  tokens?: ReadonlyMap<string, UserInfo>;
  /**
   * PEM bundle of the CAs that sign client certificates (`--client-ca-file`).
   * When given, the server asks each client for a certificate (without
   * requiring one); a verified one authenticates as user CN, groups O.
   */
  clientCA?: string;
  /** Where services' cluster IPs come from (`--service-cluster-ip-range`, IPv4; default 10.0.0.0/24). */
  serviceClusterIPRange?: string;
  /** Where NodePort services' ports come from (`--service-node-port-range`, default 30000-32767). */
  serviceNodePortRange?: string;
  /** The address the `kubernetes` Endpoints point at (`--advertise-address`); by default the bound one. */
  advertiseAddress?: string;
  /** The resources served; the built-in catalogue by default. */
  index?: ResourceIndex;
  /** Injected clock and randomness (tests); the real ones by default. */
  now?: () => Date;
  newUid?: () => string;
  random?: () => number;
  /** Bookmark interval for watches that allow them, ms (default 60 000). */
  bookmarkIntervalMs?: number;
  /** Length of a watch that gives no timeoutSeconds, ms (default 30 min). */
  defaultWatchTimeoutMs?: number;
  /** Sizes of the watch cache. */
  watchCache?: WatchCacheOptions;
  /** PEM client certificate and key the apiserver presents to kubelets (`--kubelet-client-certificate`/`--kubelet-client-key`). */
  kubeletClientCert?: string;
  kubeletClientKey?: string;
  /** PEM CA for kubelets' serving certificates (`--kubelet-certificate-authority`); without it they are not verified. */
  kubeletCA?: string;
  /** Called with errors the server could not answer a request for (defaults to nothing). */
  onError?: (error: unknown) => void;
}

/** A running API server. */
export interface ApiServer {
  /** The HTTPS server, for callers that manage listening themselves. */
  readonly server: Server;
  /** The serving certificate (PEM), for a kubeconfig's certificate-authority-data. */
  readonly servingCert: ServingCert;
  /** The per-resource watch caches (each holds one etcd watch). */
  readonly watchCache: WatchCacheRegistry;
  /** Starts listening; port 0 picks a free one. Resolves to `https://host:port`. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections and ends open ones (watches included). */
  close(): Promise<void>;
}

/**
 * Builds kubekit's Kubernetes API server: the REST API over HTTPS on any
 * etcd v3 store, with the system namespaces created if missing. Each
 * request runs through the pure core (`parseRequestInfo`, `admitCreate`,
 * ...) with the store and the clock at the edges.
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const index = options.index ?? createResourceIndex();
  const store = createObjectStore(options.etcdTransport);
  const ipRange = parseIpRange(options.serviceClusterIPRange ?? "10.0.0.0/24");
  if (!ipRange.ok) throw new Error(`service-cluster-ip-range: ${ipRange.message}`);
  const portRange = parsePortRange(options.serviceNodePortRange ?? "30000-32767");
  if (!portRange.ok) throw new Error(`service-node-port-range: ${portRange.message}`);
  const random = options.random ?? Math.random;
  const watchCache = createWatchCacheRegistry(options.etcdTransport, store, {
    ...options.watchCache,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const ctx: ServerContext = {
    index,
    store,
    etcdTransport: options.etcdTransport,
    watchCache,
    now: options.now ?? (() => new Date()),
    newUid: options.newUid ?? randomUUID,
    random,
    namespaces: new NamespaceMemo(),
    services: createServiceAllocator(options.etcdTransport, ipRange.range, portRange.range, random),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    defaultWatchTimeoutMs: options.defaultWatchTimeoutMs ?? 30 * 60_000,
    kubelet: {
      cert: options.kubeletClientCert,
      key: options.kubeletClientKey,
      ca: options.kubeletCA,
    },
  };
  // Like kube-apiserver, wait for the store rather than give up when it is
  // still starting (it is often launched at the same moment).
  const storeWaitMs = options.storeWaitMs ?? 60_000;
  const waitUntil = Date.now() + storeWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await ensureSystemNamespaces(index, store, {
        now: ctx.now,
        newUid: ctx.newUid,
        random: ctx.random,
        manager: "kube-apiserver",
      });
      break;
    } catch (error) {
      const unavailable = error instanceof ConnectError && error.code === Code.Unavailable;
      if (!unavailable || Date.now() >= waitUntil) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
  // CRDs: their resources join ctx.index, and their status is kept up to date.
  const crdController = await startCrdController(ctx, index.all, options.onError);
  const servingCert =
    options.servingCert ??
    (options.certDir ? await ensureServingCert(options.certDir) : generateServingCert());

  let address = "127.0.0.1:6443";
  // Ready means the store answers a read within a few seconds.
  const storeAnswers = () =>
    Promise.race([
      store.revision().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), READY_TIMEOUT_MS).unref()),
    ]);
  const clientCerts = options.clientCA !== undefined && options.clientCA.trim() !== "";
  const tlsOptions = {
    cert: servingCert.cert,
    key: servingCert.key,
    // Ask for (not require) a client certificate: token clients have none.
    ...(clientCerts ? { ca: options.clientCA, requestCert: true, rejectUnauthorized: false } : {}),
  };
  const metrics = createApiServerMetrics();
  const server = createServer(tlsOptions, (req, res) => {
    metrics.observe(req, res);
    routeRequest(
      ctx,
      {
        tokens: options.tokens ?? new Map(),
        clientCerts,
        metrics: () => metrics.scrape(),
        serverAddress: () => address,
        ready: storeAnswers,
      },
      req,
      res,
    ).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) sendStatus(res, internalError(error));
      else res.end();
    });
  });

  // Upgraded sockets leave the server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    socket.on("error", () => {});
    routeUpgrade(
      ctx,
      { tokens: options.tokens ?? new Map(), clientCerts },
      req,
      socket,
      head,
    ).catch((error: unknown) => {
      options.onError?.(error);
      socket.destroy();
    });
  });

  return {
    server,
    servingCert,
    watchCache,
    async listen(port, host = "127.0.0.1") {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const bound = server.address() as AddressInfo;
      const shownHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
      address = `${shownHost}:${bound.port}`;
      await ensureKubernetesService(
        store,
        index,
        ctx.services!,
        {
          address: options.advertiseAddress ?? advertiseAddressFor(bound.address),
          port: bound.port,
        },
        { now: ctx.now, newUid: ctx.newUid, random: ctx.random, manager: "kube-apiserver" },
      );
      return `https://${address}`;
    },
    async close() {
      crdController.stop();
      watchCache.close();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
