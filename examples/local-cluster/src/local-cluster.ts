/**
 * A whole single-node cluster composed in one process from kubekit's
 * packages. Each seam is a protobuf service or the Kubernetes REST API, so
 * each part is a one-line swap: store-raft for etcd (a gRPC transport to
 * it), cri-sim for containerd (a gRPC transport to its socket), or any of
 * the controllers, the scheduler and the kubelet for upstream's binaries
 * (they only need the apiserver's URL and a credential).
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { createApiServer } from "@kubekit/apiserver";
import { createDynamicClient, type RestConfig, realClock, writeKubeconfig } from "@kubekit/client";
import { allControllers, createControllerContext, runControllers } from "@kubekit/controllers";
import { createCriSim } from "@kubekit/cri-sim";
import { Kubelet } from "@kubekit/kubelet";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { runScheduler } from "@kubekit/scheduler-plugins";
import { createStore } from "@kubekit/store-raft";
import type { Logger } from "pino";

export interface LocalClusterOptions {
  /** Where the kubeconfig and the kubelet's files go. */
  dataDir: string;
  logger: Logger;
  /** The apiserver's port on 127.0.0.1 (default 0: any free one). */
  port?: number;
  nodeName?: string;
}

export interface LocalCluster {
  /** An admin's connection to the apiserver, for `@kubekit/client`. */
  rest: RestConfig;
  /** The same, as a kubeconfig file for kubectl. */
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const { dataDir, logger } = options;
  const stop = new AbortController();

  // The store: the etcd v3 API, reached through a Connect router transport (no socket).
  const store = createStore();

  // The apiserver on loopback HTTPS, with one admin token.
  const token = randomBytes(24).toString("base64url");
  const apiserver = await createApiServer({
    etcdTransport: store.transport,
    tokens: new Map([[token, { name: "admin", uid: "admin", groups: ["system:masters"] }]]),
    serviceClusterIPRange: "10.96.0.0/12",
  });
  const server = await apiserver.listen(options.port ?? 0, "127.0.0.1");
  const caCert = apiserver.servingCert.cert; // self-signed: it is its own CA
  const rest: RestConfig = {
    server,
    tls: { ca: Buffer.from(caCert) },
    auth: { bearerToken: token },
  };
  const kubeconfig = join(dataDir, "kubeconfig");
  await writeKubeconfig(kubeconfig, { server, caCert, user: { token } });

  // The controller-manager's controllers, sharing one client and one set of informers.
  const controllers = runControllers(
    createControllerContext({
      rest,
      clock: realClock,
      logger: logger.child({ name: "kube-controller-manager" }),
      settings: {
        clusterCidr: "10.244.0.0/16",
        nodeCidrMaskSize: 24,
        workers: 5,
        nodeMonitorGracePeriodMs: 40_000,
      },
    }),
    allControllers(),
    stop.signal,
  );

  // The scheduler with the default profile.
  const scheduler = runScheduler({
    rest,
    signal: stop.signal,
    logger: logger.child({ name: "kube-scheduler" }),
  });

  // The kubelet on the simulated runtime, over CRI through a router transport.
  // For real containers: createGrpcTransport to containerd's socket instead.
  const cri = createRouterTransport(createCriSim());
  const kubelet = await Kubelet.create({
    client: createDynamicClient(rest),
    runtime: createClient(RuntimeService, cri),
    images: createClient(ImageService, cri),
    nodeName: options.nodeName ?? "local",
    rootDir: join(dataDir, "kubelet"),
    podLogsDir: join(dataDir, "pod-logs"),
    log: logger.child({ name: "kubelet" }),
  });
  await kubelet.start();

  return {
    rest,
    kubeconfig,
    async stop() {
      stop.abort();
      await Promise.all([kubelet.stop(), controllers, scheduler]);
      await apiserver.close();
      await store.close();
    },
  };
}
