/**
 * `@kubekit/store-raft`: a replicated, durable, etcd-compatible key-value
 * store. This entry point exports the embeddable store (`createStore`), its
 * etcd-semantics state machine, and the pure cores it is built from.
 *
 * @packageDocumentation
 */
export * from "./kv/index.js";
export * from "./lease/index.js";
export * from "./mvcc/index.js";
export type { MemberInfo, RaftStatus, Replicator } from "./server/replicator.js";
export type { ListeningStore, Store, StoreOptions } from "./server/store.js";
export { createStore, DEFAULT_MAX_REQUEST_BYTES, STORE_VERSION } from "./server/store.js";
export * from "./watch/index.js";
