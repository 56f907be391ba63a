// kubekit.raft.v1: the peer wire format of @kubekit/store-raft (Raft
// messages in batches, snapshots in chunks) and its RaftService.
export * from "./gen/kubekit/raft/v1/raft_pb.js";
