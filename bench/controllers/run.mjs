#!/usr/bin/env node
// @ts-check
/**
 * bench/controllers: the ReplicaSet and Deployment controllers at scale.
 *
 * One process holds the whole control plane: store-raft (one member, in
 * memory), the real apiserver on a loopback HTTPS port, and the
 * ReplicaSet and Deployment controllers of @kubekit/controllers, as
 * `kubekit controller-manager` runs them. No kubelet: pods are created
 * and stay Pending. The run creates D Deployments of R replicas each and
 * measures the time until every Deployment's ReplicaSet reports all R
 * pods created (status.replicas == R), and pods created per second.
 *
 * Usage: node bench/controllers/run.mjs [DEPLOYMENTS=1000] [REPLICAS=10]
 * Environment: BENCH_CAP_S=1800 (give up after), BENCH_CREATE_CONCURRENCY=16,
 * BENCH_WORKERS=5 (--concurrent-syncs), BENCH_OUT=FILE.
 * Needs the packages built (npm run bench:controllers builds them first).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiServer } from "@kubekit/apiserver";
import {
  createDynamicClient,
  listerWatcherFor,
  Resources,
  realClock,
  SharedInformer,
} from "@kubekit/client";
import {
  allControllers,
  createControllerContext,
  runControllers,
  selectControllers,
} from "@kubekit/controllers";
import { createStore } from "@kubekit/store-raft";
import { pino } from "pino";
import { machineInfo } from "../store/machine.mjs";

const positiveInt = (
  /** @type {string | undefined} */ raw,
  /** @type {number} */ fallback,
  /** @type {string} */ name,
) => {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return n;
};

const config = {
  deployments: positiveInt(process.argv[2], 1000, "DEPLOYMENTS"),
  replicas: positiveInt(process.argv[3], 10, "REPLICAS"),
  capS: positiveInt(process.env.BENCH_CAP_S, 1800, "BENCH_CAP_S"),
  createConcurrency: positiveInt(
    process.env.BENCH_CREATE_CONCURRENCY,
    16,
    "BENCH_CREATE_CONCURRENCY",
  ),
  workers: positiveInt(process.env.BENCH_WORKERS, 5, "BENCH_WORKERS"),
};
const NS = "bench";
const TOKEN = "bench-admin";

const machine = await machineInfo();
const startedAt = new Date();
console.log(
  `bench/controllers: ${config.deployments} deployments x ${config.replicas} replicas`,
  machine,
);

const store = createStore();
const apiserver = await createApiServer({
  etcdTransport: store.transport,
  tokens: new Map([[TOKEN, { name: "admin", uid: "1", groups: ["system:masters"] }]]),
});
const server = await apiserver.listen(0);
/** @type {import("@kubekit/client").RestConfig} */
const rest = { server, tls: { insecureSkipTLSVerify: true }, auth: { bearerToken: TOKEN } };
const client = createDynamicClient(rest);
await client
  .resource(Resources.namespaces)
  .create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });

// The controllers, on their own client, as the manager builds them.
const controllerClient = createDynamicClient(rest);
const ctx = createControllerContext({
  client: controllerClient,
  clock: realClock,
  logger: pino({ level: "warn" }),
  settings: { nodeCidrMaskSize: 24, workers: config.workers, nodeMonitorGracePeriodMs: 40_000 },
});
const stopControllers = new AbortController();
const controllersRunning = runControllers(
  ctx,
  selectControllers(["replicaset", "deployment"], allControllers()),
  stopControllers.signal,
);

// The observer: a ReplicaSet informer of its own, counting those done.
const observer = new SharedInformer({
  listerWatcher: listerWatcherFor(client.resource(Resources.replicaSets).namespace(NS)),
  clock: realClock,
});
const stopObserver = new AbortController();
const observing = observer.run(stopObserver.signal);
await observer.whenSynced();
/** @type {Set<string>} */
const done = new Set();
let podsReported = 0;
/** @type {Map<string, number>} */
const reportedBy = new Map();
/** @type {(() => void) | undefined} */
let onAllDone;
const allDone = new Promise((r) => {
  onAllDone = () => r(undefined);
});
const note = (/** @type {any} */ rs) => {
  const name = rs.metadata?.name ?? "";
  const replicas = rs.status?.replicas ?? 0;
  podsReported += replicas - (reportedBy.get(name) ?? 0);
  reportedBy.set(name, replicas);
  if (replicas >= config.replicas) done.add(name);
  if (done.size >= config.deployments) onAllDone?.();
};
observer.addEventHandler({ onAdd: note, onUpdate: (_o, rs) => note(rs) });

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const deployments = client.resource(Resources.deployments).namespace(NS);
let next = 0;
const creator = async () => {
  for (let i = next++; i < config.deployments; i = next++) {
    await deployments.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `d${i}`, namespace: NS },
      spec: {
        replicas: config.replicas,
        selector: { matchLabels: { app: `d${i}` } },
        template: {
          metadata: { labels: { app: `d${i}` } },
          spec: { containers: [{ name: "app", image: "busybox" }] },
        },
      },
    });
  }
};
await Promise.all(Array.from({ length: config.createConcurrency }, creator));
const createdS = (performance.now() - t0) / 1000;
console.log(`created ${config.deployments} deployments in ${createdS.toFixed(1)} s`);

const progress = setInterval(() => {
  console.log(
    `${((performance.now() - t0) / 1000).toFixed(0)} s: ${done.size}/${config.deployments} ReplicaSets complete, ${podsReported} pods reported`,
  );
}, 10_000);
const timedOut = await Promise.race([
  allDone.then(() => false),
  new Promise((r) => setTimeout(() => r(true), config.capS * 1000)),
]);
clearInterval(progress);
const elapsedS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const pods = (await client.resource(Resources.pods).namespace(NS).listAll()).items.length;
const writes = await writeRequests();

const result = {
  benchmark: "controllers",
  startedAt: startedAt.toISOString(),
  config,
  machine,
  results: {
    deploymentsCreatedS: Math.round(createdS * 100) / 100,
    allPodsCreatedS: Math.round(elapsedS * 100) / 100,
    replicaSetsComplete: done.size,
    podsReportedByReplicaSets: podsReported,
    podsInStore: pods,
    podsPerSecond: Math.round((pods / elapsedS) * 10) / 10,
    processCpuS: Math.round(((cpu.user + cpu.system) / 1e6) * 10) / 10,
    timedOut,
    overCreated: pods > config.deployments * config.replicas,
    // What the work cost the apiserver: its write requests so far (the
    // harness's own Deployment creates included), by verb and resource.
    writeRequests: writes,
    writeRequestsPerPod: Math.round((writes.total / Math.max(1, pods)) * 100) / 100,
  },
};
console.log(JSON.stringify(result.results, null, 2));

/**
 * The apiserver's `apiserver_request_total` for writes (not GET, LIST or
 * WATCH), summed by `verb resource[/subresource]`, from its /metrics.
 */
async function writeRequests() {
  const body = await new Promise((resolvePromise, reject) => {
    const req = request(
      `${server}/metrics`,
      { headers: { authorization: `Bearer ${TOKEN}` }, rejectUnauthorized: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolvePromise(text));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
  /** @type {Record<string, number>} */
  const byKind = {};
  let total = 0;
  for (const line of String(body).split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const labels = Object.fromEntries(
      [...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (["GET", "LIST", "WATCH"].includes(labels.verb ?? "")) continue;
    const count = Number(line.slice(line.lastIndexOf(" ") + 1));
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ""}`;
    byKind[key] = (byKind[key] ?? 0) + count;
    total += count;
  }
  return { total, byKind };
}

const here = dirname(fileURLToPath(import.meta.url));
const out =
  process.env.BENCH_OUT ??
  resolve(
    here,
    "..",
    "results",
    `controllers-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`,
  );
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);

stopObserver.abort();
stopControllers.abort();
await Promise.allSettled([observing, controllersRunning]);
client.close();
controllerClient.close();
await apiserver.close();
await store.close();
process.exit(timedOut ? 1 : 0);
