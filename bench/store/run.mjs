#!/usr/bin/env node
// @ts-check
/**
 * bench/store: kubekit's store-raft beside etcd 3.4, in one run.
 *
 * Targets, one after another (never two at once, so they never share the
 * CPU): etcd 1 member, kubekit 1 member, etcd 3 members, kubekit 3 members.
 * Each gets the same warm-up, the same put phase and the same linearizable
 * range phase from the same load generator. Results go to
 * bench/results/store-<ISO time>.json and a table with kubekit/etcd ratios.
 *
 * Configuration (environment):
 *   BENCH_PUTS=20000 BENCH_RANGES=20000 BENCH_WARMUP=1000
 *   BENCH_CLIENTS=64 BENCH_CONNS=8 BENCH_VALUE_SIZE=256 BENCH_KEY_SPACE=10000
 *   BENCH_PHASE_CAP_S=60       time cap of each phase
 *   BENCH_TARGETS=etcd-1,kubekit-1,etcd-3,kubekit-3
 *   BENCH_CPU_PROF=DIR         run kubekit members under node --cpu-prof into DIR
 *   BENCH_OUT=FILE             where to write the JSON (default bench/results/...)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startCluster } from "./cluster.mjs";
import { processCpuSeconds, selfCpuSeconds } from "./cpu.mjs";
import { connect, runPhase, waitWritable } from "./load.mjs";
import { machineInfo } from "./machine.mjs";
import { renderTable } from "./table.mjs";

const env = process.env;
const int = (/** @type {string} */ name, /** @type {number} */ fallback) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, not "${raw}"`);
  return n;
};

const config = {
  puts: int("BENCH_PUTS", 20_000),
  ranges: int("BENCH_RANGES", 20_000),
  warmup: int("BENCH_WARMUP", 1_000),
  clients: int("BENCH_CLIENTS", 64),
  conns: int("BENCH_CONNS", 8),
  valueSize: int("BENCH_VALUE_SIZE", 256),
  keySpace: int("BENCH_KEY_SPACE", 10_000),
  phaseCapS: int("BENCH_PHASE_CAP_S", 60),
  requestTimeoutMs: 10_000,
  targets: (env.BENCH_TARGETS ?? "etcd-1,kubekit-1,etcd-3,kubekit-3").split(","),
};
const READY_TIMEOUT_MS = 30_000;

/**
 * Runs one phase and adds the CPU the members and the load generator spent
 * on it, in total and per request.
 * @param {number[]} pids
 * @param {() => ReturnType<typeof runPhase>} phase
 */
async function measured(pids, phase) {
  const server0 = await processCpuSeconds(pids);
  const self0 = selfCpuSeconds();
  const result = await phase();
  const serverCpuS = (await processCpuSeconds(pids)) - server0;
  const loadGenCpuS = selfCpuSeconds() - self0;
  const perRequestMs = (/** @type {number} */ s) =>
    result.requests === 0 ? Number.NaN : Math.round((s / result.requests) * 1e6) / 1e3;
  return {
    ...result,
    serverCpuS: Math.round(serverCpuS * 100) / 100,
    serverCpuMsPerRequest: perRequestMs(serverCpuS),
    loadGenCpuS: Math.round(loadGenCpuS * 100) / 100,
    loadGenCpuMsPerRequest: perRequestMs(loadGenCpuS),
  };
}

/** @param {string} target e.g. "kubekit-3" */
async function benchTarget(target) {
  const [kind, membersText] = target.split("-");
  if ((kind !== "etcd" && kind !== "kubekit") || !["1", "3"].includes(membersText ?? "")) {
    throw new Error(`unknown target "${target}" (want etcd-1, etcd-3, kubekit-1, kubekit-3)`);
  }
  const members = Number(membersText);
  const cpuProfDir =
    kind === "kubekit" && env.BENCH_CPU_PROF ? resolve(env.BENCH_CPU_PROF, target) : undefined;
  const cluster = await startCluster({ kind, members, cpuProfDir });
  const shape = config;
  const cap = config.phaseCapS * 1000;
  try {
    const kvs = connect(cluster.clientUrls, shape);
    await waitWritable(kvs, READY_TIMEOUT_MS);
    // Warm-up, not recorded: connections open, JITs settle, both sides alike.
    await runPhase(kvs, shape, { op: "put", total: config.warmup, timeCapMs: cap });
    process.stderr.write(`${target}: puts...\n`);
    const put = await measured(cluster.pids, () =>
      runPhase(kvs, shape, { op: "put", total: config.puts, timeCapMs: cap }),
    );
    process.stderr.write(`${target}: ${put.perSecond} puts/s, p99 ${put.p99Ms} ms; ranges...\n`);
    const range =
      config.ranges > 0
        ? await measured(cluster.pids, () =>
            runPhase(kvs, shape, { op: "range", total: config.ranges, timeCapMs: cap }),
          )
        : undefined;
    if (range)
      process.stderr.write(`${target}: ${range.perSecond} ranges/s, p99 ${range.p99Ms} ms\n`);
    return { target, kind, members, loadAverage1m: loadavg()[0], put, ...(range ? { range } : {}) };
  } catch (error) {
    throw new Error(
      `${target}: ${String(error)}\n--- tail of member logs ---\n${cluster.outputTail()}`,
    );
  } finally {
    await cluster.stop();
  }
}

async function main() {
  const startedAt = new Date();
  const machine = await machineInfo();
  const results = [];
  for (const target of config.targets) {
    process.stderr.write(`${target}: starting\n`);
    results.push(await benchTarget(target));
  }
  const report = {
    benchmark: "store",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    config,
    results,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const out =
    env.BENCH_OUT ??
    resolve(here, "../results", `store-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${renderTable(results)}\nwrote ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench/store: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
