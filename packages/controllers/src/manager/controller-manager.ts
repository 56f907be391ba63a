import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  type Clock,
  createDynamicClient,
  LeaderElector,
  leaseClientFor,
  Resources,
  type RestConfig,
} from "@kubekit/client";
import type { Logger } from "pino";
import type { ControllerDescriptor, ControllerSettings } from "../controller.js";
import { createControllerContext } from "./controller-context.js";
import type { ManagerMetrics } from "./metrics.js";
import { runControllers } from "./run-controllers.js";

/** `--leader-elect*`: durations in ms. */
export interface LeaderElectionSettings {
  enabled: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceName: string;
  resourceNamespace: string;
}

/** Upstream's defaults: on, 15 s / 10 s / 2 s, kube-system/kube-controller-manager. */
export const DEFAULT_LEADER_ELECTION: LeaderElectionSettings = {
  enabled: true,
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  resourceName: "kube-controller-manager",
  resourceNamespace: "kube-system",
};

/** What {@link runControllerManager} runs. */
export interface ControllerManagerOptions {
  rest: RestConfig;
  controllers: readonly ControllerDescriptor[];
  settings: ControllerSettings;
  leaderElection: LeaderElectionSettings;
  clock: Clock;
  logger: Logger;
  metrics?: ManagerMetrics;
  /** This candidate's identity (default `hostname_uuid`, as upstream). */
  identity?: string;
}

/** Why the manager returned: stopped by its signal, or it lost the lease (upstream then exits). */
export type ManagerExit = "stopped" | "lost-lease";

/**
 * Runs the chosen controllers until `signal` aborts. With leader election
 * the controllers run only while this process holds the Lease; losing it
 * stops them and returns `lost-lease`, after which the caller should exit
 * (as upstream does: a fresh process starts clean rather than resuming
 * with stale caches and expectations).
 */
export async function runControllerManager(
  options: ControllerManagerOptions,
  signal: AbortSignal,
): Promise<ManagerExit> {
  const { logger } = options;
  const identity = options.identity ?? `${hostname()}_${randomUUID()}`;
  const client = createDynamicClient(options.rest);
  const run = (leading: AbortSignal) =>
    runControllers(
      createControllerContext({
        client,
        clock: options.clock,
        logger,
        settings: options.settings,
        host: hostname(),
        ...(options.metrics ? { queueMetrics: options.metrics.queues } : {}),
      }),
      options.controllers,
      leading,
    );
  try {
    const le = options.leaderElection;
    if (!le.enabled) {
      await run(signal);
      return "stopped";
    }
    let running: Promise<void> | undefined;
    let led = false;
    const elector = new LeaderElector({
      lock: leaseClientFor(
        client.resource(Resources.leases),
        le.resourceNamespace,
        le.resourceName,
      ),
      identity,
      clock: options.clock,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      releaseOnCancel: true,
      callbacks: {
        onStartedLeading: (leading) => {
          led = true;
          options.metrics?.setLeader(true);
          logger.info(
            { identity, lease: `${le.resourceNamespace}/${le.resourceName}` },
            "became leader; starting controllers",
          );
          running = run(leading).catch((err) => logger.error({ err }, "controllers failed"));
        },
        onStoppedLeading: () => {
          options.metrics?.setLeader(false);
          if (!signal.aborted) logger.error({ identity }, "leaderelection lost");
        },
        onNewLeader: (holder) => {
          if (holder !== identity) logger.info({ leader: holder }, "new leader elected");
        },
      },
      onError: (err) => logger.warn({ err }, "leader election attempt failed"),
    });
    logger.info({ identity }, "attempting to acquire leader lease");
    await elector.run(signal);
    await running;
    return led && !signal.aborted ? "lost-lease" : "stopped";
  } finally {
    client.close();
  }
}
