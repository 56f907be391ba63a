import type { ResourceClient } from "@kubekit/client";
import type { HostFacts } from "./host-facts.js";
import { NODE_LEASE_RENEW_INTERVAL_MS, type NodeLease, renewNodeLease } from "./node-lease.js";
import {
  buildNodeStatus,
  initialNode,
  type NodeConfig,
  nodeStatusChanged,
  type RuntimeHealth,
  shouldReportNodeStatus,
} from "./node-status.js";
import { registerNode } from "./register-node.js";
import type { Node } from "./types.js";

/** Structured log lines; pino's `(fields, message)` shape. */
export type NodeLogger = (fields: Record<string, unknown>, message: string) => void;

/** Settings and collaborators of a {@link NodeAgent}. */
export interface NodeAgentOptions {
  nodes: ResourceClient<Node>;
  /** Leases in `kube-node-lease`. */
  leases: ResourceClient<NodeLease>;
  config: NodeConfig;
  facts: () => Promise<HostFacts>;
  runtimeHealth: () => Promise<RuntimeHealth>;
  /** `--register-node`: create the Node; when false, only its status is kept. */
  registerNode?: boolean;
  /** How often status is computed and compared (upstream's nodeStatusUpdateFrequency, 10 s). */
  statusUpdateFrequencyMs?: number;
  /** How often status is sent when nothing changed (nodeStatusReportFrequency, 5 min). */
  statusReportFrequencyMs?: number;
  /** How often the lease is renewed (10 s). */
  leaseRenewIntervalMs?: number;
  now?: () => number;
  log?: NodeLogger;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/**
 * The kubelet's node half: registers the Node (retrying with backoff until
 * the apiserver takes it), then keeps its status current (computed every
 * `statusUpdateFrequencyMs`, sent on change or every
 * `statusReportFrequencyMs`) and renews its Lease every
 * `leaseRenewIntervalMs`, until the signal aborts.
 */
export class NodeAgent {
  private readonly now: () => number;
  private nodeUid: string | undefined;
  private lastReportAt: number | undefined;
  private lastRuntime: RuntimeHealth | undefined;
  /** Node status reports sent, and lease renewals done: for metrics. */
  readonly counters = { statusReports: 0, leaseRenewals: 0, errors: 0 };

  constructor(private readonly options: NodeAgentOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The registered Node's uid, once known. */
  get uid(): string | undefined {
    return this.nodeUid;
  }

  /** The runtime's health as last read for a status update. */
  get runtime(): RuntimeHealth | undefined {
    return this.lastRuntime;
  }

  private log(fields: Record<string, unknown>, message: string): void {
    this.options.log?.(fields, message);
  }

  /** Registers the node, retrying (100 ms doubling to 7 s, as upstream) until it succeeds or `signal` aborts. */
  async register(signal: AbortSignal): Promise<void> {
    let delay = 100;
    while (!signal.aborted) {
      try {
        const facts = await this.options.facts();
        const node =
          this.options.registerNode === false
            ? await this.options.nodes.get(this.options.config.nodeName, {}, signal)
            : await registerNode(
                this.options.nodes,
                initialNode(this.options.config, facts),
                signal,
              );
        this.nodeUid = node.metadata.uid;
        this.log({ node: this.options.config.nodeName, uid: this.nodeUid }, "node registered");
        await this.syncStatus(signal, node);
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.counters.errors++;
        this.log({ err: errorText(error), retryInMs: delay }, "unable to register node");
        await pause(delay, signal);
        delay = Math.min(delay * 2, 7_000);
      }
    }
  }

  /**
   * Computes the node's status and PATCHes it when it changed or the report
   * period has passed. `current` saves a GET when the caller has the Node.
   */
  async syncStatus(signal?: AbortSignal, current?: Node): Promise<boolean> {
    const { nodes, config } = this.options;
    const node = current ?? (await nodes.get(config.nodeName, {}, signal));
    this.nodeUid = node.metadata.uid;
    const [facts, runtime] = await Promise.all([
      this.options.facts(),
      this.options.runtimeHealth(),
    ]);
    this.lastRuntime = runtime;
    const now = this.now();
    const status = buildNodeStatus(config, facts, runtime, now, node.status);
    const changed = nodeStatusChanged(node.status, status);
    const frequency = this.options.statusReportFrequencyMs ?? 5 * 60_000;
    if (!shouldReportNodeStatus(changed, this.lastReportAt, now, frequency)) return false;
    await nodes.patch(config.nodeName, "merge", { status }, { subresource: "status" }, signal);
    this.lastReportAt = now;
    this.counters.statusReports++;
    if (changed) {
      const ready = status.conditions.find((c) => c.type === "Ready");
      this.log({ ready: ready?.status, reason: ready?.reason }, "node status updated");
    }
    return true;
  }

  /** Renews the lease once. */
  async renewLease(signal?: AbortSignal): Promise<void> {
    await renewNodeLease(
      this.options.leases,
      this.options.config.nodeName,
      this.nodeUid,
      this.now(),
      signal,
    );
    this.counters.leaseRenewals++;
  }

  /** Registers, then runs the status and lease loops until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.register(signal);
    await this.runLoops(signal);
  }

  /** Runs the status and lease loops (after {@link register}) until `signal` aborts. */
  async runLoops(signal: AbortSignal): Promise<void> {
    await Promise.all([
      this.loop(
        "node status update failed",
        this.options.statusUpdateFrequencyMs ?? 10_000,
        signal,
        () => this.syncStatus(signal),
      ),
      this.leaseLoop(signal),
    ]);
  }

  private async loop(
    failure: string,
    intervalMs: number,
    signal: AbortSignal,
    step: () => Promise<unknown>,
  ): Promise<void> {
    while (!signal.aborted) {
      await pause(intervalMs, signal);
      if (signal.aborted) return;
      try {
        await step();
      } catch (error) {
        if (signal.aborted) return;
        this.counters.errors++;
        this.log({ err: errorText(error) }, failure);
      }
    }
  }

  /** Renews every interval; a failed renewal is retried sooner (200 ms doubling to 7 s), as upstream. */
  private async leaseLoop(signal: AbortSignal): Promise<void> {
    const interval = this.options.leaseRenewIntervalMs ?? NODE_LEASE_RENEW_INTERVAL_MS;
    let retry = 200;
    let wait = 0;
    while (!signal.aborted) {
      await pause(wait, signal);
      if (signal.aborted) return;
      try {
        await this.renewLease(signal);
        retry = 200;
        wait = interval;
      } catch (error) {
        if (signal.aborted) return;
        this.counters.errors++;
        this.log({ err: errorText(error) }, "failed to renew node lease");
        wait = retry;
        retry = Math.min(retry * 2, 7_000);
      }
    }
  }
}
