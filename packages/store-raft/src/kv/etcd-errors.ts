import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The errors etcd's gRPC server returns, with its codes and messages, so
 * clients that match on them (etcdctl, the etcd3 npm client, Kubernetes'
 * storage layer) behave as they do against etcd.
 */
function etcdError(code: Code, message: string): () => ConnectError {
  return () => new ConnectError(`etcdserver: ${message}`, code);
}

/** etcd's gRPC errors, by the names etcd's rpctypes package gives them. */
export const EtcdErrors = {
  emptyKey: etcdError(Code.InvalidArgument, "key is not provided"),
  keyNotFound: etcdError(Code.InvalidArgument, "key not found"),
  valueProvided: etcdError(Code.InvalidArgument, "value is provided"),
  leaseProvided: etcdError(Code.InvalidArgument, "lease is provided"),
  tooManyOps: etcdError(Code.InvalidArgument, "too many operations in txn request"),
  duplicateKey: etcdError(Code.InvalidArgument, "duplicate key given in txn request"),
  compacted: etcdError(Code.OutOfRange, "mvcc: required revision has been compacted"),
  futureRevision: etcdError(Code.OutOfRange, "mvcc: required revision is a future revision"),
  leaseNotFound: etcdError(Code.NotFound, "requested lease not found"),
  leaseExists: etcdError(Code.FailedPrecondition, "lease already exists"),
  leaseTtlTooLarge: etcdError(Code.OutOfRange, "too large lease TTL"),
  requestTooLarge: etcdError(Code.InvalidArgument, "request is too large"),
  noLeader: etcdError(Code.Unavailable, "no leader"),
  notLeader: etcdError(Code.Unavailable, "not leader"),
  timeout: etcdError(Code.Unavailable, "request timed out"),
  stopped: etcdError(Code.Unavailable, "server stopped"),
  memberNotFound: etcdError(Code.NotFound, "member not found"),
  peerUrlExists: etcdError(Code.FailedPrecondition, "Peer URLs already exists"),
  memberNotLearner: etcdError(Code.FailedPrecondition, "can only promote a learner member"),
  learnerNotReady: etcdError(
    Code.FailedPrecondition,
    "can only promote a learner member which is in sync with leader",
  ),
} as const;
