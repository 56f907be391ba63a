import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transport } from "@connectrpc/connect";
import type { WatchCacheRegistry } from "../cache/cache-registry.js";
import type { ResourceDefinition } from "../registry/resource.js";
import type { ResourceIndex } from "../registry/resource-index.js";
import type { RequestInfo } from "../request/request-info.js";
import type { ServiceAllocator } from "../services/service-allocator.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { NamespaceMemo } from "./namespace-memo.js";
import type { KubeletClientConfig } from "./proxy/kubelet-target.js";
import type { UserInfo } from "./token-file.js";

/** What every handler shares: the catalogue, the store, and the injected clock and randomness. */
export interface ServerContext {
  index: ResourceIndex;
  store: ObjectStore;
  /** The etcd transport. */
  etcdTransport: Transport;
  /** The per-resource watch caches that serve watches and most lists. */
  watchCache: WatchCacheRegistry;
  now: () => Date;
  newUid: () => string;
  random: () => number;
  /** How often a watch that allows bookmarks gets one, in ms. */
  bookmarkIntervalMs: number;
  /** How long a watch without timeoutSeconds lasts, in ms. */
  defaultWatchTimeoutMs: number;
  /** Namespaces creates were admitted into, to guard later creates with instead of a read. */
  namespaces?: NamespaceMemo;
  /** Cluster IPs and node ports for services; without it services get none. */
  services?: ServiceAllocator;
  /** How to reach kubelets, for pods/log, pods/exec and pods/attach. */
  kubelet?: KubeletClientConfig;
}

/** One request for a catalogued resource, parsed. */
export interface ResourceRequest {
  info: RequestInfo;
  def: ResourceDefinition;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  user: UserInfo;
  /** The request body as sent (protobuf bodies are binary). */
  rawBody: Buffer;
  /** The request body as UTF-8 text (empty for GET and most DELETEs). */
  body: string;
}
