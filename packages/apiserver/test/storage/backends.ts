import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createStore } from "@kubekit/store-raft";
import { startEtcd } from "@kubekit/testkit";

/** A store to test against, and how to stop it. */
export interface Backend {
  transport: Transport;
  /** Compacts history up to a revision (to test 410 Gone). */
  compact(revision: bigint): Promise<void>;
  /** How many watchers the store serves now, as the store itself counts them. */
  watcherCount(): Promise<number>;
  stop(): Promise<void>;
}

/** The two stores the apiserver must work on: a real etcd 3.4, and store-raft in process. */
export const BACKENDS: Record<string, () => Promise<Backend>> = {
  etcd: async () => {
    const etcd = await startEtcd();
    const transport = createGrpcTransport({ baseUrl: etcd.endpoint });
    return {
      transport,
      compact: (rev) => compactVia(transport, rev),
      watcherCount: () => etcdWatcherCount(etcd.endpoint),
      stop: () => etcd.stop(),
    };
  },
  "store-raft": async () => {
    const store = createStore();
    return {
      transport: store.transport,
      compact: (rev) => compactVia(store.transport, rev),
      watcherCount: async () => store.watcherCount(),
      stop: () => store.close(),
    };
  },
};

async function compactVia(transport: Transport, revision: bigint): Promise<void> {
  const { createClient } = await import("@connectrpc/connect");
  const { KV } = await import("@kubekit/proto/etcd");
  await createClient(KV, transport).compact({ revision, physical: true });
}

// etcd's own gauge of the watchers its MVCC store serves.
async function etcdWatcherCount(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = /^etcd_debugging_mvcc_watcher_total (\S+)$/m.exec(text);
  if (!line) throw new Error("etcd's /metrics has no etcd_debugging_mvcc_watcher_total");
  return Number(line[1]);
}
