import type { Clock, DynamicClient, EventRecorder, SharedInformerFactory } from "@kubekit/client";
import type { Logger } from "pino";
import type { QueueMetrics } from "./common/queue-metrics.js";

/** Settings the controller-manager passes to every controller (upstream's flag names in comments). */
export interface ControllerSettings {
  /** `--cluster-cidr`: the pod network node IPAM carves `spec.podCIDR`s from. */
  clusterCidr?: string;
  /** `--node-cidr-mask-size` (default 24). */
  nodeCidrMaskSize: number;
  /** `--concurrent-*-syncs`: workers per controller (default 5, as upstream's most common). */
  workers: number;
  /** `--node-monitor-grace-period`, ms (default 40 s). */
  nodeMonitorGracePeriodMs: number;
}

/** What a controller gets from the controller-manager: one shared client, informers, clock, logs and events. */
export interface ControllerContext {
  readonly client: DynamicClient;
  /** Shared by every controller: one watch per resource however many controllers use it. */
  readonly informers: SharedInformerFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** An event recorder reporting as `component` (e.g. `replicaset-controller`). */
  eventRecorder(component: string): EventRecorder;
  readonly settings: ControllerSettings;
  /** Where work queues report depth, adds and retries (the manager's /metrics); absent in tests. */
  readonly queueMetrics?: QueueMetrics;
}

/**
 * One controller the manager can run. `start` registers its informer
 * handlers and starts its workers, and returns once it has; everything it
 * started ends when `signal` aborts. The manager starts the informers
 * after every chosen controller's `start` returned.
 */
export interface ControllerDescriptor {
  /** Upstream's name for `--controllers` (e.g. `replicaset`, `deployment`, `endpointslice`). */
  readonly name: string;
  /** Whether `*` in `--controllers` includes it (upstream's defaults). */
  readonly enabledByDefault: boolean;
  start(ctx: ControllerContext, signal: AbortSignal): Promise<void> | void;
}
