/**
 * The etcd v3 client API as protobuf-es messages and Connect service
 * descriptors: `KV`, `Watch`, `Lease`, `Cluster` and `Maintenance` from
 * package `etcdserverpb`, and `KeyValue` / `Event` from package `mvccpb`.
 *
 * Wire-compatible with etcd (same full names and field numbers), so a
 * Connect gRPC client built from these talks to a real etcd or to
 * kubekit's store-raft alike.
 *
 * @packageDocumentation
 */
export * from "./gen/etcd/etcdserverpb/rpc_pb.js";
export * from "./gen/etcd/mvccpb/kv_pb.js";
