import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { startCrdController } from "../crd/crd-controller.js";
import { internalError } from "../errors/builders.js";
import { createResourceIndex, type ResourceIndex } from "../registry/resource-index.js";
import { createObjectStore } from "../storage/object-store.js";
import { ensureSystemNamespaces } from "./bootstrap-namespaces.js";
import { sendStatus } from "./http-io.js";
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
  /** Called with errors the server could not answer a request for (defaults to nothing). */
  onError?: (error: unknown) => void;
}

/** A running API server. */
export interface ApiServer {
  /** The HTTPS server, for callers that manage listening themselves. */
  readonly server: Server;
  /** The serving certificate (PEM), for a kubeconfig's certificate-authority-data. */
  readonly servingCert: ServingCert;
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
  const ctx: ServerContext = {
    index,
    store,
    etcdTransport: options.etcdTransport,
    now: options.now ?? (() => new Date()),
    newUid: options.newUid ?? randomUUID,
    random: options.random ?? Math.random,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    defaultWatchTimeoutMs: options.defaultWatchTimeoutMs ?? 30 * 60_000,
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
  const server = createServer({ cert: servingCert.cert, key: servingCert.key }, (req, res) => {
    routeRequest(
      ctx,
      { tokens: options.tokens ?? new Map(), serverAddress: () => address, ready: storeAnswers },
      req,
      res,
    ).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) sendStatus(res, internalError(error));
      else res.end();
    });
  });

  return {
    server,
    servingCert,
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
      return `https://${address}`;
    },
    async close() {
      crdController.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
