/**
 * `kubekit.store.v1`: store-raft's replicated command format (what one Raft
 * log entry of store-raft carries).
 *
 * @packageDocumentation
 */
export * from "./gen/kubekit/store/v1/store_pb.js";
