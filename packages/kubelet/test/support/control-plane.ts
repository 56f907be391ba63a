import { createApiServer } from "@kubekit/apiserver";
import { createDynamicClient, type DynamicClient, type RestConfig } from "@kubekit/client";
import { createStore } from "@kubekit/store-raft";

const ADMIN_TOKEN = "kubelet-test-admin";

/** A store-raft store and an apiserver in this process, and an admin client for them. */
export interface InProcessControlPlane {
  readonly rest: RestConfig;
  readonly client: DynamicClient;
  stop(): Promise<void>;
}

/**
 * The real control plane's bottom half in process: store-raft (one member,
 * in memory) behind the real apiserver on a loopback HTTPS port. The
 * kubelet under test talks to it exactly as it does in a cluster.
 */
export async function startInProcessControlPlane(): Promise<InProcessControlPlane> {
  const store = createStore();
  const apiserver = await createApiServer({
    etcdTransport: store.transport,
    tokens: new Map([[ADMIN_TOKEN, { name: "admin", uid: "1", groups: ["system:masters"] }]]),
  });
  const server = await apiserver.listen(0);
  const rest: RestConfig = {
    server,
    tls: { insecureSkipTLSVerify: true },
    auth: { bearerToken: ADMIN_TOKEN },
  };
  const client = createDynamicClient(rest);
  return {
    rest,
    client,
    async stop() {
      client.close();
      await apiserver.close();
      await store.close();
    },
  };
}
