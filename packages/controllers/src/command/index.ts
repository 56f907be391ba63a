/**
 * `kubekit controller-manager`: kube-controller-manager on a real
 * apiserver. Chooses controllers with `--controllers`, competes for the
 * kube-system/kube-controller-manager Lease, and runs the controllers only
 * while it leads. Serves /healthz and /metrics on `--secure-port`.
 */
import { once } from "node:events";
import { loadKubeconfigFile, realClock, restConfigFromKubeconfig } from "@kubekit/client";
import { type Command, InvalidArgumentError } from "commander";
import { type Logger, pino } from "pino";
import type { ControllerDescriptor, ControllerSettings } from "../controller.js";
import {
  DEFAULT_LEADER_ELECTION,
  type LeaderElectionSettings,
  runControllerManager,
} from "../manager/controller-manager.js";
import { createManagerMetrics } from "../manager/metrics.js";
import { selectControllers } from "../manager/select-controllers.js";
import { type HealthServer, serveHealthAndMetrics } from "../manager/serve.js";
import { parseIpv4Cidr } from "../nodeipam/cidr.js";
import { allControllers } from "../registry.js";
import { parseGoDuration } from "./duration.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface ControllerManagerCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** Options of {@link createControllerManagerCommand}; tests pass their own. */
export interface ControllerManagerCommandOptions {
  /** Ends the manager when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
  /** The controllers to choose from (default: every controller of this package). */
  controllers?: readonly ControllerDescriptor[];
}

interface Flags {
  kubeconfig: string;
  controllers: string[];
  leaderElect: boolean;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  clusterCidr?: string;
  allocateNodeCidrs: boolean;
  nodeCidrMaskSize: number;
  concurrentSyncs: number;
  nodeMonitorGracePeriod: number;
  securePort: number;
  bindAddress: string;
}

function parseBool(value: string): boolean {
  if (["true", "1", "t", "T", "TRUE", "True"].includes(value)) return true;
  if (["false", "0", "f", "F", "FALSE", "False"].includes(value)) return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}"`);
}

function parseDuration(value: string): number {
  const ms = parseGoDuration(value);
  if (ms === undefined)
    throw new InvalidArgumentError(`not a duration (like 15s or 1m30s): "${value}"`);
  return ms;
}

function parseIntFlag(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

function parseList(value: string): string[] {
  return value.split(",").map((s) => s.trim());
}

/** Resolves on the first of SIGTERM and SIGINT, or when `signal` aborts. */
async function untilShutdown(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await once(signal, "abort");
    return;
  }
  const stop = new AbortController();
  await Promise.race([
    once(process, "SIGTERM", { signal: stop.signal }),
    once(process, "SIGINT", { signal: stop.signal }),
  ]).catch(() => undefined);
  stop.abort();
}

/** `kubekit controller-manager`, reading its flags as kube-controller-manager names them. */
export function createControllerManagerCommand(
  options: ControllerManagerCommandOptions = {},
): ControllerManagerCommand {
  return {
    name: "controller-manager",
    summary: "run the controller-manager: ReplicaSets, Deployments, namespaces and more",
    configure(command) {
      command
        .requiredOption("--kubeconfig <file>", "kubeconfig of the apiserver to reconcile through")
        .option(
          "--controllers <names>",
          "controllers to run: '*' for the defaults, 'foo' to enable, '-foo' to disable",
          parseList,
          ["*"],
        )
        .option(
          "--leader-elect [enabled]",
          "run controllers only while holding the lease",
          parseBool,
          true,
        )
        .option(
          "--leader-elect-lease-duration <duration>",
          "how long others wait before taking over",
          parseDuration,
          DEFAULT_LEADER_ELECTION.leaseDurationMs,
        )
        .option(
          "--leader-elect-renew-deadline <duration>",
          "how long the leader retries renewing before it gives up",
          parseDuration,
          DEFAULT_LEADER_ELECTION.renewDeadlineMs,
        )
        .option(
          "--leader-elect-retry-period <duration>",
          "time between attempts to acquire or renew",
          parseDuration,
          DEFAULT_LEADER_ELECTION.retryPeriodMs,
        )
        .option(
          "--leader-elect-resource-name <name>",
          "the Lease's name",
          DEFAULT_LEADER_ELECTION.resourceName,
        )
        .option(
          "--leader-elect-resource-namespace <namespace>",
          "the Lease's namespace",
          DEFAULT_LEADER_ELECTION.resourceNamespace,
        )
        .option("--cluster-cidr <cidr>", "the pod network node CIDRs are allocated from")
        .option(
          "--allocate-node-cidrs [enabled]",
          "give every node a spec.podCIDR from --cluster-cidr",
          parseBool,
          false,
        )
        .option(
          "--node-cidr-mask-size <bits>",
          "prefix length of each node's pod CIDR",
          parseIntFlag(1, 32),
          24,
        )
        .option("--concurrent-syncs <n>", "workers per controller", parseIntFlag(1, 1000), 5)
        .option(
          "--node-monitor-grace-period <duration>",
          "how long a node may stay silent before it is NotReady",
          parseDuration,
          40_000,
        )
        .option(
          "--secure-port <port>",
          "HTTPS port for /healthz and /metrics (0: do not serve)",
          parseIntFlag(0, 65535),
          10257,
        )
        .option("--bind-address <ip>", "address to serve /healthz and /metrics on", "0.0.0.0")
        .action(async (flags: Flags) => {
          const usage = (message: string): never =>
            command.error(`error: ${message}`, { exitCode: 2, code: "kubekit.usage" }) as never;
          const known = options.controllers ?? allControllers();
          let chosen: ControllerDescriptor[] = [];
          try {
            chosen = selectControllers(flags.controllers, known);
          } catch (err) {
            usage(`--controllers: ${(err as Error).message}`);
          }
          if (flags.clusterCidr !== undefined && !parseIpv4Cidr(flags.clusterCidr)) {
            usage(`--cluster-cidr: not an IPv4 CIDR: "${flags.clusterCidr}"`);
          }
          if (flags.allocateNodeCidrs && flags.clusterCidr === undefined) {
            usage("--allocate-node-cidrs needs --cluster-cidr");
          }
          const cluster = flags.clusterCidr ? parseIpv4Cidr(flags.clusterCidr) : undefined;
          if (cluster && flags.nodeCidrMaskSize < cluster.prefix) {
            usage(
              `--node-cidr-mask-size ${flags.nodeCidrMaskSize} is shorter than the cluster CIDR's /${cluster.prefix}`,
            );
          }
          const le: LeaderElectionSettings = {
            enabled: flags.leaderElect,
            leaseDurationMs: flags.leaderElectLeaseDuration,
            renewDeadlineMs: flags.leaderElectRenewDeadline,
            retryPeriodMs: flags.leaderElectRetryPeriod,
            resourceName: flags.leaderElectResourceName,
            resourceNamespace: flags.leaderElectResourceNamespace,
          };
          if (
            le.enabled &&
            (le.leaseDurationMs <= le.renewDeadlineMs ||
              le.renewDeadlineMs <= 1.2 * le.retryPeriodMs)
          ) {
            usage("leader election needs lease-duration > renew-deadline > 1.2 × retry-period");
          }
          const settings: ControllerSettings = {
            nodeCidrMaskSize: flags.nodeCidrMaskSize,
            workers: flags.concurrentSyncs,
            nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriod,
            ...(flags.clusterCidr && flags.allocateNodeCidrs
              ? { clusterCidr: flags.clusterCidr }
              : {}),
          };

          const logger = options.logger ?? pino({ name: "kube-controller-manager" });
          const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(flags.kubeconfig));
          const metrics = createManagerMetrics(le.resourceName);
          const stop = new AbortController();
          let health: HealthServer | undefined;
          if (flags.securePort !== 0) {
            health = await serveHealthAndMetrics(
              flags.bindAddress,
              flags.securePort,
              metrics.registry,
              () => true,
            );
            logger.info({ url: health.url }, "serving /healthz and /metrics");
          }
          const shutdown = untilShutdown(options.shutdown).then(() => stop.abort());
          logger.info(
            {
              controllers: chosen.map((c) => c.name),
              leaderElect: le.enabled,
              server: rest.server,
            },
            "starting controller-manager",
          );
          let exit: Awaited<ReturnType<typeof runControllerManager>>;
          try {
            exit = await runControllerManager(
              {
                rest,
                controllers: chosen,
                settings,
                leaderElection: le,
                clock: realClock,
                logger,
                metrics,
              },
              stop.signal,
            );
          } finally {
            await health?.close();
          }
          if (exit === "lost-lease") {
            stop.abort();
            throw new Error("leaderelection lost");
          }
          await shutdown;
          logger.info("stopped");
        });
    },
  };
}

/** `kubekit controller-manager`, stopped by SIGTERM or SIGINT. */
export const controllerManagerCommand: ControllerManagerCommand = createControllerManagerCommand();
