import type { ResponseHeader } from "@kubekit/proto/etcd";
import type { KvStateMachine } from "../kv/state-machine.js";
import type { WatchHub } from "../watch/watch-hub.js";
import type { Replicator } from "./replicator.js";

/** What the etcd API services share. */
export interface ServerContext {
  readonly stateMachine: KvStateMachine;
  readonly replicator: Replicator;
  readonly watchHub: WatchHub;
  /** Milliseconds on the injected clock. */
  readonly now: () => number;
  /** Random 63-bit values, for lease IDs the client left to the server. */
  readonly randomId: () => bigint;
  /** Most ops in one Txn (etcd's --max-txn-ops). */
  readonly maxTxnOps: number;
  /** The version Maintenance.Status reports. */
  readonly version: string;
  /** How often a watch with progress_notify gets an empty response, in ms. */
  readonly progressNotifyIntervalMs: number;
}

/** Completes a response header with this member's identity and Raft term. */
export function fillHeader(
  context: ServerContext,
  header: ResponseHeader | undefined,
): ResponseHeader | undefined {
  if (header === undefined) return undefined;
  header.clusterId = context.replicator.clusterId;
  header.memberId = context.replicator.memberId;
  header.raftTerm = context.replicator.status().term;
  return header;
}
