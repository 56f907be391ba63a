import type { StoreCommand } from "@kubekit/proto/store";
import type { CommandResult } from "../kv/state-machine.js";

/** A member of the store cluster, as MemberList reports it. */
export interface MemberInfo {
  readonly id: bigint;
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
  readonly isLearner: boolean;
}

/** Where a member's Raft stands, for Status and response headers. */
export interface RaftStatus {
  readonly term: bigint;
  /** The leader's member ID, 0 when there is none. */
  readonly leader: bigint;
  readonly commitIndex: bigint;
  readonly appliedIndex: bigint;
}

/**
 * The seam between the etcd API and consensus: the services hand writes to
 * a Replicator and wait for their result; it gets them into the replicated
 * log and applies them, in log order, to the member's state machine. The
 * Raft-backed replicator is one implementation; a single-member one that
 * applies directly serves tests and embedding.
 */
export interface Replicator {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  /**
   * Replicates a write and resolves with its result once this member has
   * applied it; rejects with a ConnectError (etcd's) when the write can't be
   * committed (no leader, timeout, too large).
   */
  propose(command: Pick<StoreCommand, "command">): Promise<CommandResult>;
  /** Resolves once this member has applied every write committed before the call. */
  readIndex(): Promise<void>;
  status(): RaftStatus;
  members(): MemberInfo[];
  /** Membership changes, where the replicator supports them (Raft does; a single local member doesn't). */
  readonly membership?: MembershipControl;
}

/** Changing who is in the cluster. */
export interface MembershipControl {
  /** The ID a member reached at `peerUrl` would have. */
  memberIdFor(peerUrl: string): number;
  /** Adds, removes or promotes a member through the log; resolves with the members after. */
  changeMembership(request: {
    readonly kind: "add" | "remove" | "promote";
    readonly id: number;
    readonly peerUrls?: readonly string[];
    readonly isLearner?: boolean;
  }): Promise<MemberInfo[]>;
  /** How many committed entries a member lacks, as the leader sees it; undefined off the leader. */
  lagOf(id: number): number | undefined;
}
