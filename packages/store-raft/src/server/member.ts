import { createHash } from "node:crypto";
import type { ConnectRouter } from "@connectrpc/connect";
import { RaftService } from "@kubekit/proto/raft";
import { KvStateMachine } from "../kv/state-machine.js";
import { DEFAULT_MAX_TXN_OPS } from "../kv/validate.js";
import { WatchHub } from "../watch/watch-hub.js";
import type { ServerContext } from "./context.js";
import { kvUnaryRoutes } from "./kv-service.js";
import { startLeaseExpiry } from "./lease-service.js";
import { memberIdOf } from "./member-id.js";
import { createRaftPeerService, PeerTransport } from "./peer-transport.js";
import { type ClusterMember, RaftReplicator } from "./raft-replicator.js";
import { type GrpcListener, serveGrpc } from "./serve-grpc.js";
import {
  DEFAULT_MAX_REQUEST_BYTES,
  etcdRoutes,
  GRPC_OVERHEAD_BYTES,
  random63,
  STORE_VERSION,
} from "./store.js";

/** A member's place in a cluster, as etcd's flags describe it. */
export interface StoreMemberOptions {
  /** This member's name (--name); must appear in `initialCluster`. */
  readonly name: string;
  /** Where the WAL and snapshots live (--data-dir). */
  readonly dataDir: string;
  /** `name=peerURL` for every member (--initial-cluster). */
  readonly initialCluster: ReadonlyArray<{ readonly name: string; readonly peerUrl: string }>;
  /** Distinguishes clusters built from the same member list (--initial-cluster-token). */
  readonly clusterToken?: string;
  /** "new" bootstraps a cluster; "existing" joins one after `member add` (--initial-cluster-state). */
  readonly initialClusterState?: "new" | "existing";
  /** Where this member serves clients (--listen-client-urls), host and port. */
  readonly clientListen: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  /** What clients are told (--advertise-client-urls). */
  readonly advertiseClientUrls?: readonly string[];
  /** Where this member listens for peers (--listen-peer-urls). */
  readonly peerListen: { readonly host: string; readonly port: number };
  readonly maxRequestBytes?: number;
  readonly maxTxnOps?: number;
  /** Raft tick, ms (--heartbeat-interval). */
  readonly heartbeatMs?: number;
  /** Election timeout, ms (--election-timeout); a multiple of the heartbeat. */
  readonly electionMs?: number;
  readonly snapshotCount?: number;
  /** Entries kept behind a snapshot for slow followers (etcd: 5000). */
  readonly catchUpEntries?: number;
  readonly minLeaseTtlSeconds?: number;
  readonly log?: (level: "info" | "warn" | "error", message: string, fields?: object) => void;
}

/** A running member. */
export interface StoreMember {
  readonly replicator: RaftReplicator;
  readonly stateMachine: KvStateMachine;
  readonly clientUrls: readonly string[];
  readonly peerUrl: string;
  /** Stops serving and closes the WAL. */
  close(): Promise<void>;
}

/** The cluster ID: from every member ID and the token. */
function clusterIdOf(memberIds: readonly number[], clusterToken: string): bigint {
  const digest = createHash("sha256")
    .update(`${[...memberIds].sort().join(",")}\u0000${clusterToken}`)
    .digest();
  return digest.readBigUInt64BE(0) >> 1n;
}

/** Starts one member of a Raft-replicated, durable store. */
export async function startStoreMember(options: StoreMemberOptions): Promise<StoreMember> {
  const token = options.clusterToken ?? "kubekit-store";
  const members: ClusterMember[] = options.initialCluster.map((m) => ({
    id: memberIdOf(m.peerUrl, token),
    name: m.name,
    peerUrl: m.peerUrl,
    clientUrls: m.name === options.name ? (options.advertiseClientUrls ?? []) : [],
  }));
  const self = members.find((m) => m.name === options.name);
  if (self === undefined) {
    throw new Error(`--initial-cluster has no member named "${options.name}"`);
  }
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const heartbeatMs = options.heartbeatMs ?? 100;
  const electionTicks = Math.max(2, Math.round((options.electionMs ?? 1000) / heartbeatMs));
  const stateMachine = new KvStateMachine({ minLeaseTtlSeconds: options.minLeaseTtlSeconds ?? 5 });
  let transport: PeerTransport | undefined;
  const replicator = new RaftReplicator({
    self,
    members,
    clusterId: clusterIdOf(
      members.map((m) => m.id),
      token,
    ),
    dataDir: options.dataDir,
    stateMachine,
    send: (messages) => transport?.send(messages),
    join: options.initialClusterState === "existing",
    clusterToken: token,
    onMembershipChange: (change) => {
      if (change.kind === "remove") transport?.removePeer(change.member.id);
      else transport?.addPeer(change.member.id, change.member.peerUrl);
    },
    tickMs: heartbeatMs,
    electionTicks,
    heartbeatTicks: 1,
    maxRequestBytes,
    ...(options.snapshotCount === undefined ? {} : { snapshotCount: options.snapshotCount }),
    ...(options.catchUpEntries === undefined ? {} : { catchUpEntries: options.catchUpEntries }),
    ...(options.minLeaseTtlSeconds === undefined
      ? {}
      : { minLeaseTtlSeconds: options.minLeaseTtlSeconds }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  transport = new PeerTransport(
    new Map(members.filter((m) => m !== self).map((m) => [m.id, m.peerUrl])),
    {
      unreachable: (peer) => replicator.reportUnreachable(peer),
      snapshotSent: (peer, ok) => replicator.reportSnapshot(peer, ok),
    },
  );
  const watchHub = new WatchHub(() => stateMachine.mvcc);
  stateMachine.onEvents((events, revision) => watchHub.publish(events, revision));
  const context: ServerContext = {
    stateMachine,
    replicator,
    watchHub,
    now: Date.now,
    randomId: random63,
    maxTxnOps: options.maxTxnOps ?? DEFAULT_MAX_TXN_OPS,
    version: STORE_VERSION,
    progressNotifyIntervalMs: 10 * 60 * 1000,
  };
  const readMaxBytes = maxRequestBytes + GRPC_OVERHEAD_BYTES;
  const listeners: GrpcListener[] = [];
  try {
    const peerRoutes = (router: ConnectRouter) => {
      router.service(
        RaftService,
        createRaftPeerService((messages) => replicator.receive(messages)),
      );
    };
    listeners.push(
      await serveGrpc(peerRoutes, { ...options.peerListen, readMaxBytes: 64 * 1024 * 1024 }),
    );
    replicator.start();
    const routes = etcdRoutes(context);
    const fastUnary = kvUnaryRoutes(context);
    for (const address of options.clientListen) {
      listeners.push(await serveGrpc(routes, { ...address, readMaxBytes, fastUnary }));
    }
  } catch (error) {
    replicator.stop();
    transport?.close();
    await Promise.all(listeners.map((l) => l.close()));
    throw error;
  }
  const stopExpiry = startLeaseExpiry(context);
  return {
    replicator,
    stateMachine,
    peerUrl: listeners[0]?.url ?? self.peerUrl,
    clientUrls: listeners.slice(1).map((l) => l.url),
    async close() {
      stopExpiry();
      await Promise.all(listeners.map((l) => l.close()));
      replicator.stop();
      // The Send streams to peers stay open otherwise, holding the process.
      transport?.close();
    },
  };
}
