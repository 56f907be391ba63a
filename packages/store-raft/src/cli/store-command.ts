import { once } from "node:events";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import { startStoreMember } from "../server/member.js";
import { DEFAULT_MAX_REQUEST_BYTES } from "../server/store.js";
import { parseInitialCluster, parsePositiveInt, parseUrls, toListenAddress } from "./flags.js";
import { serveHealth } from "./health-server.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface StoreCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

interface StoreFlags {
  name: string;
  dataDir?: string;
  listenClientUrls: string[];
  advertiseClientUrls?: string[];
  listenPeerUrls: string[];
  initialAdvertisePeerUrls?: string[];
  initialCluster?: string;
  initialClusterState: string;
  initialClusterToken: string;
  listenMetricsUrls?: string[];
  maxRequestBytes: number;
  heartbeatInterval: number;
  electionTimeout: number;
  snapshotCount: number;
}

/** Options of {@link createStoreCommand}; tests pass their own. */
export interface StoreCommandOptions {
  /** Ends the member when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  logger?: Logger;
}

async function untilShutdown(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await once(signal, "abort");
    return;
  }
  const stop = new AbortController();
  await Promise.race([
    once(process, "SIGTERM", { signal: stop.signal }),
    once(process, "SIGINT", { signal: stop.signal }),
  ]);
  stop.abort();
}

/**
 * `kubekit store`: runs one member of a store-raft cluster, with etcd's
 * flag names, until SIGTERM.
 */
export function createStoreCommand(options: StoreCommandOptions = {}): StoreCommand {
  return {
    name: "store",
    summary: "run a store-raft member (an etcd-compatible, Raft-replicated key-value store)",
    configure(command) {
      command
        .option("--name <name>", "human-readable name of this member", "default")
        .option("--data-dir <dir>", "where the WAL and snapshots live (default: <name>.etcd)")
        .option("--listen-client-urls <urls>", "URLs to serve clients on", parseUrls, [
          "http://localhost:2379",
        ])
        .option(
          "--advertise-client-urls <urls>",
          "client URLs to tell the cluster about",
          parseUrls,
        )
        .option("--listen-peer-urls <urls>", "URLs to serve peers on", parseUrls, [
          "http://localhost:2380",
        ])
        .option(
          "--initial-advertise-peer-urls <urls>",
          "peer URLs to tell the cluster about",
          parseUrls,
        )
        .option("--initial-cluster <members>", "name=peerURL for every member of a new cluster")
        .option("--initial-cluster-state <state>", "new or existing", "new")
        .option(
          "--initial-cluster-token <token>",
          "distinguishes clusters built from the same members",
          "kubekit-store",
        )
        .option(
          "--listen-metrics-urls <urls>",
          "URLs to serve /health and /metrics on (HTTP/1.1)",
          parseUrls,
        )
        .option(
          "--max-request-bytes <n>",
          "largest request accepted",
          parsePositiveInt,
          DEFAULT_MAX_REQUEST_BYTES,
        )
        .option(
          "--heartbeat-interval <ms>",
          "time between heartbeats (the Raft tick)",
          parsePositiveInt,
          100,
        )
        .option(
          "--election-timeout <ms>",
          "time without a leader before a campaign",
          parsePositiveInt,
          1000,
        )
        .option(
          "--snapshot-count <n>",
          "applied entries between snapshots",
          parsePositiveInt,
          10_000,
        )
        .action(async (flags: StoreFlags) => {
          const { InvalidArgumentError } = await import("commander");
          if (flags.initialClusterState !== "new" && flags.initialClusterState !== "existing") {
            throw new InvalidArgumentError(
              `--initial-cluster-state must be new or existing, not "${flags.initialClusterState}"`,
            );
          }
          if (flags.electionTimeout < 2 * flags.heartbeatInterval) {
            throw new InvalidArgumentError(
              "--election-timeout must be at least twice --heartbeat-interval",
            );
          }
          const advertisePeer = flags.initialAdvertisePeerUrls ?? flags.listenPeerUrls;
          const initialCluster = parseInitialCluster(
            flags.initialCluster ?? `${flags.name}=${advertisePeer[0] ?? "http://localhost:2380"}`,
          );
          const self = initialCluster.find((m) => m.name === flags.name);
          if (self === undefined)
            throw new InvalidArgumentError(`--initial-cluster has no member named "${flags.name}"`);
          if (!advertisePeer.includes(self.peerUrl)) {
            throw new InvalidArgumentError(
              `--initial-cluster gives ${flags.name} the peer URL ${self.peerUrl}, but it advertises ${advertisePeer.join(",")}`,
            );
          }
          const logger = options.logger ?? pino({ name: "kubekit-store" }, pino.destination(2));
          const member = await startStoreMember({
            name: flags.name,
            dataDir: flags.dataDir ?? `${flags.name}.etcd`,
            initialCluster,
            clusterToken: flags.initialClusterToken,
            initialClusterState: flags.initialClusterState as "new" | "existing",
            clientListen: flags.listenClientUrls.map(toListenAddress),
            advertiseClientUrls: flags.advertiseClientUrls ?? flags.listenClientUrls,
            peerListen: toListenAddress(flags.listenPeerUrls[0] as string),
            maxRequestBytes: flags.maxRequestBytes,
            heartbeatMs: flags.heartbeatInterval,
            electionMs: flags.electionTimeout,
            snapshotCount: flags.snapshotCount,
            log: (level, message, fields) => logger[level](fields ?? {}, message),
          });
          const health = await Promise.all(
            (flags.listenMetricsUrls ?? []).map((url) =>
              serveHealth(toListenAddress(url), member.replicator, member.stateMachine),
            ),
          );
          logger.info(
            {
              name: flags.name,
              memberId: member.replicator.memberId.toString(16),
              clientUrls: member.clientUrls,
              peerUrl: member.peerUrl,
              metricsUrls: health.map((h) => h.url),
            },
            "store member serving",
          );
          await untilShutdown(options.shutdown);
          logger.info("shutting down");
          await Promise.all(health.map((h) => h.close()));
          await member.close();
          logger.info("stopped");
        });
    },
  };
}

/** `kubekit store`, stopped by SIGTERM or SIGINT. */
export const storeCommand: StoreCommand = createStoreCommand();
