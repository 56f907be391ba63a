import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createStore } from "@kubekit/store-raft";
import { startEtcd } from "@kubekit/testkit";

/** A store to test against, and how to stop it. */
export interface Backend {
  transport: Transport;
  /** Compacts history up to a revision (to test 410 Gone). */
  compact(revision: bigint): Promise<void>;
  stop(): Promise<void>;
}

/** The two stores the apiserver must work on: a real etcd 3.4, and store-raft in process. */
export const BACKENDS: Record<string, () => Promise<Backend>> = {
  etcd: async () => {
    const etcd = await startEtcd();
    const transport = createGrpcTransport({ baseUrl: etcd.endpoint });
    return { transport, compact: (rev) => compactVia(transport, rev), stop: () => etcd.stop() };
  },
  "store-raft": async () => {
    const store = createStore();
    return {
      transport: store.transport,
      compact: (rev) => compactVia(store.transport, rev),
      stop: () => store.close(),
    };
  },
};

async function compactVia(transport: Transport, revision: bigint): Promise<void> {
  const { createClient } = await import("@connectrpc/connect");
  const { KV } = await import("@kubekit/proto/etcd");
  await createClient(KV, transport).compact({ revision, physical: true });
}
