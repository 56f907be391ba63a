/** No lease with that ID (etcd: NotFound "etcdserver: requested lease not found"). */
export class LeaseNotFoundError extends Error {
  override readonly name = "LeaseNotFoundError";
  constructor(readonly leaseId: bigint) {
    super("lease not found");
  }
}

/** A grant reused a live lease's ID (etcd: FailedPrecondition "etcdserver: lease already exists"). */
export class LeaseExistsError extends Error {
  override readonly name = "LeaseExistsError";
  constructor(readonly leaseId: bigint) {
    super("lease already exists");
  }
}

/** A grant asked for more than the longest TTL (etcd: OutOfRange "etcdserver: too large lease TTL"). */
export class LeaseTtlTooLargeError extends Error {
  override readonly name = "LeaseTtlTooLargeError";
  constructor(readonly ttl: number) {
    super("too large lease TTL");
  }
}

/** Only the leader's lessor renews and expires leases (etcd: "etcdserver: not leader"). */
export class NotPrimaryLessorError extends Error {
  override readonly name = "NotPrimaryLessorError";
  constructor() {
    super("not primary lessor");
  }
}
