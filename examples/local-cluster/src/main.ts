/**
 * Runs the composed cluster until SIGTERM or Ctrl-C:
 * `node dist/main.js [DATA_DIR]` (default `./.local-cluster`).
 */
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { pino } from "pino";
import { startLocalCluster } from "./local-cluster.js";

const dataDir = resolve(process.argv[2] ?? ".local-cluster");
const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
await mkdir(dataDir, { recursive: true, mode: 0o700 });
const cluster = await startLocalCluster({ dataDir, logger });
process.stdout.write(
  `cluster ready (simulated runtime: pods run nowhere)\n  kubectl --kubeconfig ${cluster.kubeconfig} get nodes\n`,
);
await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")]);
await cluster.stop();
process.stdout.write("stopped\n");
