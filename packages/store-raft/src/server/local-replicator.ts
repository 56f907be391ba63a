import { create, toBinary } from "@bufbuild/protobuf";
import { type StoreCommand, StoreCommandSchema } from "@kubekit/proto/store";
import { EtcdErrors } from "../kv/etcd-errors.js";
import type { CommandResult, KvStateMachine } from "../kv/state-machine.js";
import type { MemberInfo, RaftStatus, Replicator } from "./replicator.js";

/** Options of a single-member replicator. */
export interface LocalReplicatorOptions {
  readonly stateMachine: KvStateMachine;
  readonly member: MemberInfo;
  readonly clusterId: bigint;
  /** Largest encoded command accepted, in bytes (etcd's --max-request-bytes). */
  readonly maxRequestBytes: number;
  readonly now: () => number;
}

/**
 * A cluster of one whose log is its apply order: every write is applied as
 * soon as it is proposed. It keeps the etcd API's contract (one writer,
 * writes in order, reads after writes) for tests and for embedding the
 * store in a process that persists nothing; it is not durable on its own.
 */
export class LocalReplicator implements Replicator {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  private index = 0n;

  constructor(private readonly options: LocalReplicatorOptions) {
    this.memberId = options.member.id;
    this.clusterId = options.clusterId;
    // The only member leads, so it is the lessor that expires leases.
    options.stateMachine.lessor.promote(options.now());
  }

  async propose(command: Pick<StoreCommand, "command">): Promise<CommandResult> {
    const full = create(StoreCommandSchema, {
      ...command,
      id: this.index + 1n,
      proposer: this.memberId,
    });
    if (toBinary(StoreCommandSchema, full).length > this.options.maxRequestBytes) {
      throw EtcdErrors.requestTooLarge();
    }
    const result = this.options.stateMachine.apply(full, this.options.now());
    this.index++;
    return result;
  }

  async readIndex(): Promise<void> {}

  status(): RaftStatus {
    return { term: 1n, leader: this.memberId, commitIndex: this.index, appliedIndex: this.index };
  }

  members(): MemberInfo[] {
    return [this.options.member];
  }
}
