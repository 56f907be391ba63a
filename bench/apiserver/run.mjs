#!/usr/bin/env node
// @ts-check
/**
 * bench/apiserver: kubekit's apiserver (in this process) over store-raft
 * and over etcd 3.4, each a separate 1-member process, one after the
 * other. Clients speak the real HTTPS API with keep-alive. Phases:
 *
 *   creates  BENCH_PODS pods by BENCH_CLIENTS concurrent clients
 *   lists    every pod (BENCH_PODS of them), BENCH_LISTS times per way:
 *            consistent (resourceVersion unset), resourceVersion=0, and
 *            kubectl's pages of 500 (continue tokens, read from etcd)
 *   fan-out  BENCH_WATCHERS watches on one namespace's pods (in a worker
 *            thread), BENCH_UPDATES updates one after another: the time
 *            for each to reach every watch
 *
 * Results: bench/results/apiserver-<ISO time>.json (BENCH_OUT to override),
 * with the machine's load average, since the machine may be shared.
 *
 * Configuration (environment):
 *   BENCH_PODS=10000 BENCH_CLIENTS=32 BENCH_WARMUP=100 BENCH_LISTS=5
 *   BENCH_WATCHERS=1000 BENCH_UPDATES=30 BENCH_PHASE_CAP_S=60
 *   BENCH_TARGETS=store-raft,etcd
 *
 * The create phase stops at BENCH_PODS or its time cap; the pods it did
 * not create are then written straight to the store (seed.mjs), so the
 * lists always see BENCH_PODS pods.
 *
 * Needs the packages built: `npx nx run kubekit:build` (bench:apiserver).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createApiServer } from "@kubekit/apiserver";
import { startCluster } from "../store/cluster.mjs";
import { machineInfo } from "../store/machine.mjs";
import { keepAliveAgent, send } from "./client.mjs";
import { createPods, fanOut, listPods } from "./phases.mjs";
import { seedPods } from "./seed.mjs";

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
  pods: int("BENCH_PODS", 10_000),
  clients: int("BENCH_CLIENTS", 32),
  warmup: int("BENCH_WARMUP", 100),
  lists: int("BENCH_LISTS", 5),
  watchers: int("BENCH_WATCHERS", 1_000),
  updates: int("BENCH_UPDATES", 30),
  phaseCapS: int("BENCH_PHASE_CAP_S", 60),
  targets: (env.BENCH_TARGETS ?? "store-raft,etcd").split(","),
};
const TOKEN = "bench-token";
const load = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @param {string} name "store-raft" or "etcd" */
async function benchTarget(name) {
  if (name !== "store-raft" && name !== "etcd")
    throw new Error(`unknown target "${name}" (want store-raft or etcd)`);
  const cluster = await startCluster({ kind: name === "etcd" ? "etcd" : "kubekit", members: 1 });
  const capMs = config.phaseCapS * 1000;
  const api = await createApiServer({
    etcdTransport: createGrpcTransport({ baseUrl: cluster.clientUrls[0] ?? "" }),
    tokens: new Map([[TOKEN, { name: "bench", uid: "1", groups: ["system:masters"] }]]),
  }).catch((error) => {
    throw new Error(`${name}: ${String(error)}\n${cluster.outputTail()}`);
  });
  try {
    const url = await api.listen(0);
    const target = { url, ca: api.servingCert.cert, token: TOKEN };
    const agent = keepAliveAgent(1);
    for (const ns of ["bench", "bench-warmup", "bench-fanout"]) {
      const res = await send(target, agent, "POST", "/api/v1/namespaces", {
        body: JSON.stringify({ metadata: { name: ns } }),
      });
      if (res.status !== 201) throw new Error(`namespace ${ns}: ${res.status} ${res.body}`);
    }
    agent.destroy();
    // Warm-up, not recorded: connections, JIT, and the pods watch cache
    // (started by its first list, as a running cluster's would long be).
    const warm = keepAliveAgent(1);
    await send(target, warm, "GET", "/api/v1/pods?resourceVersion=0");
    warm.destroy();
    await createPods(target, {
      namespace: "bench-warmup",
      total: config.warmup,
      clients: config.clients,
      capMs,
    });
    const loadBefore = load();
    log(`${name}: creating ${config.pods} pods...`);
    const creates = await createPods(target, {
      namespace: "bench",
      total: config.pods,
      clients: config.clients,
      capMs,
    });
    log(`${name}: ${creates.perSecond} creates/s, p99 ${creates.p99Ms} ms`);
    // Pods pod-0 .. pod-(attempted-1) were created; write the rest straight to the store.
    const rest = [];
    for (let i = creates.attempted; i < config.pods; i++) rest.push(`pod-${i}`);
    if (rest.length > 0) {
      const seedAgent = keepAliveAgent(1);
      const sample = await send(target, seedAgent, "GET", "/api/v1/namespaces/bench/pods/pod-0");
      seedAgent.destroy();
      if (sample.status !== 200) throw new Error(`${name}: no pod to copy: ${sample.status}`);
      log(`${name}: writing the other ${rest.length} pods straight to the store...`);
      await seedPods(cluster.clientUrls[0] ?? "", JSON.parse(sample.body), rest);
    }
    log(`${name}: lists...`);
    const lists = [];
    for (const query of ["", "resourceVersion=0", "limit=500"]) {
      lists.push(
        await listPods(target, { namespace: "bench", query, rounds: config.lists, capMs }),
      );
      const l = lists.at(-1);
      log(`${name}: list "${query}" of ${l?.items}: p50 ${l?.p50Ms} ms, p99 ${l?.p99Ms} ms`);
    }
    log(`${name}: fan-out to ${config.watchers} watchers...`);
    const fanout = await fanOut(target, {
      namespace: "bench-fanout",
      watchers: config.watchers,
      updates: config.updates,
      capMs,
      openCapMs: 4 * capMs,
    });
    log(
      "error" in fanout
        ? `${name}: fan-out: ${fanout.error}`
        : `${name}: fan-out p50 ${fanout.reachAllP50Ms} ms, p99 ${fanout.reachAllP99Ms} ms`,
    );
    return {
      target: name,
      loadAverage1mBefore: loadBefore,
      loadAverage1mAfter: load(),
      creates,
      podsSeededDirectly: rest.length,
      lists,
      fanout,
      watchCache: api.watchCache.stats(),
    };
  } finally {
    await api.close();
    await cluster.stop();
  }
}

async function main() {
  const startedAt = new Date();
  const machine = await machineInfo();
  const results = [];
  for (const target of config.targets) {
    log(`${target}: starting`);
    results.push(await benchTarget(target));
  }
  const report = {
    benchmark: "apiserver",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    config,
    targets: { createsPerSecond: 1000, fanoutP99Ms: 100 },
    results,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const out =
    env.BENCH_OUT ??
    resolve(here, "../results", `apiserver-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwrote ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(
    `bench/apiserver: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
