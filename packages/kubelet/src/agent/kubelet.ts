import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { Client } from "@connectrpc/connect";
import {
  type Clock,
  type DynamicClient,
  type KubeObject,
  listerWatcherFor,
  Resources,
  realClock,
  SharedInformer,
} from "@kubekit/client";
import type { ImageService, RuntimeService } from "@kubekit/proto/cri";
import type { Pod } from "../api/types.js";
import type { DnsSettings } from "../cri/dns.js";
import { HOST_ONLY_DNS } from "../cri/dns.js";
import { type HostFacts, readHostFacts } from "../node/host-facts.js";
import { NodeAgent } from "../node/node-agent.js";
import { chooseNodeIP } from "../node/node-ip.js";
import { NODE_LEASE_NAMESPACE, type NodeLease } from "../node/node-lease.js";
import { KUBELET_VERSION, nodeResources } from "../node/node-status.js";
import { readRuntimeHealth } from "../node/runtime-health.js";
import type { Node, Taint } from "../node/types.js";
import { type BackoffShape, PodEngine } from "../runtime/pod-engine.js";
import { informerObjectLookup } from "../sources/api-object-lookup.js";
import { ApiPodSource } from "../sources/api-pod-source.js";
import { CombinedPodSource, FilePodSource } from "../sources/file-pod-source.js";
import { syncMirrorPods } from "./mirror-pods.js";
import { PodStatusManager } from "./status-manager.js";

/** Structured logging, pino's shape (a pino logger fits). */
export interface KubeletLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  /** Timings of relists and pod startup steps; pino drops them below level debug. */
  debug?(fields: Record<string, unknown>, message: string): void;
}

/** ConfigMap and Secret caches, shareable between kubelets in one process. */
export interface ObjectInformers {
  configMaps: SharedInformer<KubeObject>;
  secrets: SharedInformer<KubeObject>;
}

/** Settings of a {@link Kubelet}. */
export interface KubeletOptions {
  /** A client of the apiserver (the kubelet's kubeconfig). */
  client: DynamicClient;
  runtime: Client<typeof RuntimeService>;
  images: Client<typeof ImageService>;
  nodeName: string;
  /** `--node-ip`; the host's first non-loopback IPv4 when absent. */
  nodeIP?: string;
  nodeLabels?: Record<string, string>;
  registerWithTaints?: Taint[];
  /** `--register-node` (default true). */
  registerNode?: boolean;
  /** `--max-pods` (default 110). */
  maxPods?: number;
  /** `--port`, reported as the kubelet endpoint (default 10250). */
  kubeletPort?: number;
  /** `--root-dir`: pods' volumes go under `<rootDir>/pods`. */
  rootDir: string;
  /** `--pod-logs-dir` (upstream: /var/log/pods). */
  podLogsDir?: string;
  /** Root of pod cgroups; `/kubepods` by default. */
  cgroupRoot?: string;
  /** `--cluster-dns` / `--cluster-domain`, and the host's resolver. */
  dns?: DnsSettings;
  /** `--pod-manifest-path`: a directory of static pod manifests. */
  podManifestPath?: string;
  /** Shared ConfigMap/Secret caches; the kubelet makes its own when absent. */
  objectInformers?: ObjectInformers;
  /** Host facts; read from this machine (with `rootDir`'s filesystem) when absent. */
  facts?: () => Promise<HostFacts>;
  clock?: Clock;
  log?: KubeletLogger;
  /** Engine tick (default 1 s). */
  syncIntervalMs?: number;
  containerBackoff?: BackoffShape;
  imageBackoff?: BackoffShape;
  /** Node status compare period (10 s), report period (5 min), lease renewal (10 s). */
  nodeStatusUpdateFrequencyMs?: number;
  nodeStatusReportFrequencyMs?: number;
  leaseRenewIntervalMs?: number;
  /** How often static pod manifests are re-read and mirror pods checked (20 s). */
  fileCheckFrequencyMs?: number;
  /** How often pod status is re-checked against the API (10 s). */
  statusResyncMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Makes ConfigMap and Secret informers over all namespaces. */
export function createObjectInformers(
  client: DynamicClient,
  clock: Clock = realClock,
): ObjectInformers {
  return {
    configMaps: new SharedInformer({
      listerWatcher: listerWatcherFor(client.resource(Resources.configMaps)),
      clock,
      name: "configmaps",
    }),
    secrets: new SharedInformer({
      listerWatcher: listerWatcherFor(client.resource(Resources.secrets)),
      clock,
      name: "secrets",
    }),
  };
}

/**
 * The node agent: registers the Node and keeps its status and Lease
 * current, watches the pods bound to it (and static pods from files),
 * runs them through a {@link PodEngine} on the CRI runtime, and writes
 * their status back, deleting gracefully terminated pods once they are
 * gone from the node.
 */
export class Kubelet {
  readonly node: NodeAgent;
  readonly engine: PodEngine;
  readonly source: ApiPodSource;
  readonly statuses: PodStatusManager;
  readonly files: FilePodSource | undefined;
  private readonly objects: ObjectInformers;
  private readonly ownsObjects: boolean;
  private readonly nodeIP: string;
  /** The Node this kubelet registers and runs pods for. */
  get nodeName(): string {
    return this.options.nodeName;
  }
  private readonly stopper = new AbortController();
  private readonly loops: Promise<unknown>[] = [];
  private started = false;

  /**
   * Reads the host's facts and asks the runtime its name (for container
   * ids in status), then builds the kubelet; {@link start} runs it.
   */
  static async create(options: KubeletOptions): Promise<Kubelet> {
    const facts = await (options.facts ?? (() => readHostFacts(options.rootDir)))();
    const version = await options.runtime.version({}, { timeoutMs: 10_000 }).catch(() => undefined);
    return new Kubelet(options, facts, version?.runtimeName || "containerd");
  }

  private constructor(
    private readonly options: KubeletOptions,
    initialFacts: HostFacts,
    runtimeName: string,
  ) {
    const clock = options.clock ?? realClock;
    const log = options.log;
    const warn = (fields: Record<string, unknown>, message: string) => log?.warn(fields, message);
    const info = (fields: Record<string, unknown>, message: string) => log?.info(fields, message);
    this.nodeIP = chooseNodeIP(options.nodeIP, networkInterfaces());
    const readFacts = options.facts ?? (() => readHostFacts(options.rootDir));
    const config = {
      nodeName: options.nodeName,
      nodeIP: this.nodeIP,
      labels: options.nodeLabels ?? {},
      taints: options.registerWithTaints ?? [],
      kubeletPort: options.kubeletPort ?? 10250,
      maxPods: options.maxPods ?? 110,
      kubeletVersion: KUBELET_VERSION,
    };
    this.node = new NodeAgent({
      nodes: options.client.resource<Node>(Resources.nodes),
      leases: options.client.resource<NodeLease>(Resources.leases).namespace(NODE_LEASE_NAMESPACE),
      config,
      facts: readFacts,
      runtimeHealth: () => readRuntimeHealth(options.runtime, options.images),
      registerNode: options.registerNode ?? true,
      ...(options.nodeStatusUpdateFrequencyMs !== undefined
        ? { statusUpdateFrequencyMs: options.nodeStatusUpdateFrequencyMs }
        : {}),
      ...(options.nodeStatusReportFrequencyMs !== undefined
        ? { statusReportFrequencyMs: options.nodeStatusReportFrequencyMs }
        : {}),
      ...(options.leaseRenewIntervalMs !== undefined
        ? { leaseRenewIntervalMs: options.leaseRenewIntervalMs }
        : {}),
      now: () => clock.now(),
      log: (fields, message) =>
        (/fail|unable/.test(message) ? warn : info)({ node: options.nodeName, ...fields }, message),
    });
    const pods = options.client.resource(Resources.pods);
    this.source = new ApiPodSource({
      pods,
      nodeName: options.nodeName,
      clock,
      onChange: (pod) => this.engine?.requestSync(pod),
      onError: (error) => warn({ err: errorText(error) }, "pod watch failed; retrying"),
    });
    this.statuses = new PodStatusManager({
      pods,
      apiPod: (namespace, name) => this.source.get(namespace, name),
      clock,
      log: warn,
    });
    this.files = options.podManifestPath
      ? new FilePodSource(options.podManifestPath, options.nodeName, warn)
      : undefined;
    this.ownsObjects = !options.objectInformers;
    this.objects = options.objectInformers ?? createObjectInformers(options.client, clock);
    this.engine = new PodEngine({
      runtime: options.runtime,
      images: options.images,
      source: this.files ? new CombinedPodSource([this.source, this.files]) : this.source,
      sink: this.statuses,
      nodeName: options.nodeName,
      hostIPs: [this.nodeIP],
      podsDir: join(options.rootDir, "pods"),
      ...(options.podLogsDir ? { podLogsRoot: options.podLogsDir } : {}),
      ...(options.cgroupRoot ? { cgroupRoot: options.cgroupRoot } : {}),
      dns: options.dns ?? HOST_ONLY_DNS,
      lookup: informerObjectLookup(this.objects.configMaps, this.objects.secrets),
      // Containers without limits may use what the node can give.
      allocatable: nodeResources(config, initialFacts).allocatable,
      memoryCapacityBytes: initialFacts.memoryBytes,
      runtimeName,
      ...(options.syncIntervalMs ? { syncIntervalMs: options.syncIntervalMs } : {}),
      ...(options.containerBackoff ? { containerBackoff: options.containerBackoff } : {}),
      ...(options.imageBackoff ? { imageBackoff: options.imageBackoff } : {}),
      log: (fields, message) =>
        (/fail/.test(message) ? warn : info)({ node: options.nodeName, ...fields }, message),
      ...(log?.debug
        ? {
            debug: (fields, message) => log.debug?.({ node: options.nodeName, ...fields }, message),
          }
        : {}),
    });
  }

  /** The node's primary IP, as reported in its addresses and pods' hostIP. */
  get hostIP(): string {
    return this.nodeIP;
  }

  /**
   * Registers the node, starts the watches and waits for them to sync,
   * then starts the pod engine and the status, lease and static-pod loops.
   * Resolves once pods are being run.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const signal = this.stopper.signal;
    await this.node.register(signal);
    if (signal.aborted) return;
    this.loops.push(this.source.run(signal));
    if (this.ownsObjects) {
      this.loops.push(this.objects.configMaps.run(signal), this.objects.secrets.run(signal));
    }
    await Promise.all([
      this.source.informer.whenSynced(),
      this.objects.configMaps.whenSynced(),
      this.objects.secrets.whenSynced(),
    ]);
    if (this.files) await this.files.refresh();
    this.engine.start();
    this.loops.push(
      this.node.runLoops(signal),
      this.every(this.options.statusResyncMs ?? 10_000, () => {
        const live = new Set(this.engine.desiredPodUids());
        this.statuses.retain(live);
        return this.statuses.resync();
      }),
    );
    if (this.files) {
      this.loops.push(
        this.every(this.options.fileCheckFrequencyMs ?? 20_000, () => this.syncStaticPods()),
      );
      await this.syncStaticPods().catch((error) =>
        this.options.log?.warn({ err: errorText(error) }, "mirror pod sync failed"),
      );
    }
    this.options.log?.info({ node: this.options.nodeName, hostIP: this.nodeIP }, "kubelet started");
  }

  /** Re-reads static pod manifests and reconciles their mirror pods. */
  async syncStaticPods(): Promise<void> {
    if (!this.files) return;
    if (await this.files.refresh()) this.engine.requestSync();
    const nodeUid = this.node.uid;
    if (!nodeUid) return;
    await syncMirrorPods({
      pods: this.options.client.resource(Resources.pods),
      nodeName: this.options.nodeName,
      nodeUid,
      staticPods: this.files.pods(),
      apiPods: this.source.informer.indexer.list() as unknown as Pod[],
    });
  }

  private async every(ms: number, step: () => Promise<unknown>): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      await pause(ms, signal);
      if (signal.aborted) return;
      await step().catch((error) =>
        this.options.log?.warn({ err: errorText(error) }, "periodic kubelet work failed"),
      );
    }
  }

  /**
   * Stops watching and reporting and waits for pod work in progress and
   * status patches. Leaves containers running: a new kubelet adopts them.
   */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.engine.stop();
    await this.statuses.flush();
    await Promise.allSettled(this.loops);
  }
}
