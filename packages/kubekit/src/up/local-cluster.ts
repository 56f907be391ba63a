import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type ApiServer, createApiServer } from "@kubekit/apiserver";
import { writeKubeconfig } from "@kubekit/client";
import { createControllerManagerCommand } from "@kubekit/controllers";
import { createKubeletCommand } from "@kubekit/kubelet";
import { createSchedulerCommand } from "@kubekit/scheduler-plugins";
import { type StoreMember, startStoreMember } from "@kubekit/store-raft";
import type { Logger } from "pino";
import { ensureClusterPki } from "./cluster-pki.js";
import { acquireDataDirLock, type DataDirLock, dataDirLayout } from "./data-dir.js";
import { firstHostIp, firstSubnet, primaryIpv4 } from "./node-address.js";
import { type NodeRuntime, type RuntimeChoice, startNodeRuntime } from "./node-runtime.js";
import { type ComponentCommand, runComponentCommand } from "./run-component.js";

/** How `kubekit up` builds its cluster; the command's flags fill it. */
export interface LocalClusterOptions {
  readonly dataDir: string;
  readonly runtime: RuntimeChoice;
  /** Use this CRI runtime instead of starting one. */
  readonly containerRuntimeEndpoint?: string;
  readonly nodeName: string;
  /** The apiserver's HTTPS port. */
  readonly securePort: number;
  /** The embedded store's client and peer ports (loopback only). */
  readonly storeClientPort: number;
  readonly storePeerPort: number;
  /** The kubelet API's port (upstream: 10250). */
  readonly kubeletPort: number;
  readonly clusterCidr: string;
  readonly serviceClusterIpRange: string;
  readonly logger: Logger;
}

/** A running single-node cluster. */
export interface LocalCluster {
  /** The admin kubeconfig. */
  readonly kubeconfig: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly runtime: NodeRuntime;
  /** Resolves when a component stopped on its own (a failure), with its name and error. */
  readonly failed: Promise<{ component: string; error: unknown }>;
  /** Stops every part, newest first, and frees the data dir. */
  stop(): Promise<void>;
}

/**
 * Starts the whole cluster in this process, as k3s does: store-raft (one
 * member, data under the data dir), the apiserver with certificates from
 * the cluster CA, the node runtime, and the scheduler, controller-manager
 * and kubelet through their own commands — the same code an operator runs
 * one component at a time.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const { logger } = options;
  const layout = dataDirLayout(options.dataDir);
  await mkdir(layout.root, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = await acquireDataDirLock(layout.lock);
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of stops.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (error) {
        logger.warn({ component: part.name, err: error }, "did not stop cleanly");
      }
    }
    await lock.release();
  };

  try {
    const nodeIp = primaryIpv4();
    const podCidr = firstSubnet(options.clusterCidr, 24);
    const pki = await ensureClusterPki(layout.pki, {
      nodeName: options.nodeName,
      nodeIps: [nodeIp],
      kubernetesServiceIp: firstHostIp(options.serviceClusterIpRange),
    });

    const peerUrl = `http://127.0.0.1:${options.storePeerPort}`;
    const member: StoreMember = await startStoreMember({
      name: "default",
      dataDir: layout.store,
      initialCluster: [{ name: "default", peerUrl }],
      clientListen: [{ host: "127.0.0.1", port: options.storeClientPort }],
      peerListen: { host: "127.0.0.1", port: options.storePeerPort },
      log: (level, message, fields) => logger[level]({ component: "store", ...fields }, message),
    });
    stops.push({ name: "store", stop: () => member.close() });

    const apiserver: ApiServer = await createApiServer({
      // Loopback: gzip'd responses would cost CPU on both ends of the same event loop for nothing.
      etcdTransport: createGrpcTransport({
        baseUrl: member.clientUrls[0] as string,
        acceptCompression: [],
      }),
      servingCert: pki.apiserver,
      clientCA: pki.ca.cert,
      kubeletClientCert: pki.apiserverKubeletClient.cert,
      kubeletClientKey: pki.apiserverKubeletClient.key,
      kubeletCA: pki.ca.cert,
      serviceClusterIPRange: options.serviceClusterIpRange,
      advertiseAddress: nodeIp,
      onError: (err) => logger.error({ component: "apiserver", err }, "request failed"),
    });
    const server = await apiserver.listen(options.securePort, "0.0.0.0");
    const localServer = `https://127.0.0.1:${new URL(server).port}`;
    stops.push({ name: "apiserver", stop: () => apiserver.close() });

    const kubeconfigFor = async (name: string, pair: { cert: string; key: string }) => {
      const path =
        name === "admin"
          ? layout.adminKubeconfig
          : join(layout.componentKubeconfigs, `${name}.kubeconfig`);
      await writeKubeconfig(path, {
        server: localServer,
        caCert: pki.ca.cert,
        user: { clientCert: pair.cert, clientKey: pair.key },
        userName: name,
      });
      return path;
    };
    const admin = await kubeconfigFor("admin", pki.admin);

    const runtime = await startNodeRuntime({
      layout,
      choice: options.runtime,
      podCidr,
      ...(options.containerRuntimeEndpoint
        ? { externalEndpoint: options.containerRuntimeEndpoint }
        : {}),
      log: (message, fields) => logger.info({ component: "runtime", ...fields }, message),
    });
    stops.push({ name: "runtime", stop: () => runtime.stop() });
    if (runtime.banner) logger.warn({ component: "runtime" }, runtime.banner);

    // Components, each with its own identity and its own shutdown signal.
    let reportFailure: (failure: { component: string; error: unknown }) => void = () => {};
    const failed = new Promise<{ component: string; error: unknown }>((resolve) => {
      reportFailure = resolve;
    });
    const startComponent = (
      name: string,
      make: (opts: { shutdown: AbortSignal; logger: Logger }) => ComponentCommand,
      args: string[],
    ) => {
      const shutdown = new AbortController();
      const done = runComponentCommand(
        make({ shutdown: shutdown.signal, logger: logger.child({ component: name }) }),
        args,
      ).then(
        () => {
          if (!shutdown.signal.aborted)
            reportFailure({ component: name, error: new Error("stopped") });
        },
        (error: unknown) => reportFailure({ component: name, error }),
      );
      stops.push({
        name,
        stop: async () => {
          shutdown.abort();
          await done;
        },
      });
    };
    startComponent("scheduler", createSchedulerCommand, [
      "--kubeconfig",
      await kubeconfigFor("scheduler", pki.scheduler),
      "--leader-elect=false",
      "--secure-port=0",
    ]);
    startComponent("controller-manager", createControllerManagerCommand, [
      "--kubeconfig",
      await kubeconfigFor("controller-manager", pki.controllerManager),
      "--leader-elect=false",
      "--secure-port=0",
      "--allocate-node-cidrs",
      "--cluster-cidr",
      options.clusterCidr,
    ]);
    startComponent("kubelet", createKubeletCommand, [
      "--kubeconfig",
      await kubeconfigFor("kubelet", pki.kubeletClient),
      "--node-name",
      options.nodeName,
      "--container-runtime-endpoint",
      runtime.endpoint,
      "--root-dir",
      layout.kubelet,
      "--node-ip",
      nodeIp,
      "--pod-logs-dir",
      layout.podLogs,
      "--port",
      String(options.kubeletPort),
      "--healthz-port=0",
      "--client-ca-file",
      join(layout.pki, "ca.crt"),
      "--tls-cert-file",
      join(layout.pki, "kubelet.crt"),
      "--tls-private-key-file",
      join(layout.pki, "kubelet.key"),
    ]);

    return { kubeconfig: admin, server: localServer, runtime, failed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
