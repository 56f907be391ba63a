import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createApiServer } from "@kubekit/apiserver";
import { createDynamicClient, type DynamicClient, type RestConfig } from "@kubekit/client";
import { createStore } from "@kubekit/store-raft";
import { makeTempDir, type TempDir } from "@kubekit/testkit";

const ADMIN_TOKEN = "scheduler-test-admin";

/** store-raft and the real apiserver in this process, a kubeconfig for them, and an admin client. */
export interface InProcessControlPlane {
  readonly rest: RestConfig;
  readonly client: DynamicClient;
  readonly dir: TempDir;
  /** A kubeconfig file with an admin token, for `kubekit scheduler --kubeconfig`. */
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** Starts store-raft (one member, in memory) behind the apiserver on a loopback HTTPS port. */
export async function startInProcessControlPlane(name: string): Promise<InProcessControlPlane> {
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
  const dir = await makeTempDir(name);
  const kubeconfig = join(dir.path, "kubeconfig");
  await writeFile(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]`,
      `users: [{ name: admin, user: { token: ${ADMIN_TOKEN} } }]`,
      "contexts: [{ name: c, context: { cluster: c, user: admin } }]",
      "current-context: c",
      "",
    ].join("\n"),
  );
  return {
    rest,
    client: createDynamicClient(rest),
    dir,
    kubeconfig,
    async stop() {
      await apiserver.close();
      await store.close();
      await dir.remove();
    },
  };
}
