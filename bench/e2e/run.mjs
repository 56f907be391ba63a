#!/usr/bin/env node
// @ts-check
/**
 * bench/e2e: pod startup latency on `kubekit up` with containerd, as a user
 * sees it: `kubectl apply` of BENCH_PODS pods (default 30, one manifest,
 * no nodeName: the scheduler places them) → each pod Running, as a watch
 * sees it. Starts `kubekit up --runtime containerd` on a temp data dir and
 * loopback ports, and stops it at the end. Results go to
 * bench/results/e2e-<ISO time>.json.
 *
 * Each pod's timeline comes from the same watch: first seen (created),
 * bound to the node (spec.nodeName), first status from the kubelet
 * (hostIP), pod IP reported (sandbox and CNI done, containers started),
 * Running. `phases` in the result has each step's p50/p90/max, in ms from
 * the step before. `cpuSeconds` is what the kubekit process, its
 * containerd and the shims spent from the apply until all were Running.
 *
 * Environment: BENCH_PODS=30, BENCH_TIMEOUT_S=300, BENCH_OUT=FILE,
 * BENCH_UP_LOG=FILE (keep `kubekit up`'s JSON log lines there),
 * BENCH_UP_NODE_ARGS="--cpu-prof --cpu-prof-dir=D" (node flags for `kubekit up`).
 */
import { execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  createDynamicClient,
  loadKubeconfigFile,
  Resources,
  restConfigFromKubeconfig,
} from "@kubekit/client";
import { machineInfo } from "../store/machine.mjs";
import { percentile } from "../store/stats.mjs";
import { nodeCpuSeconds } from "./cpu.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, "../../packages/kubekit/bin/kubekit.js");
const pods = Number(process.env.BENCH_PODS ?? 30);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;

/** A free TCP port on loopback. */
async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** @param {number} count */
function manifest(count) {
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: v1
kind: Pod
metadata:
  name: bench-${i}
  namespace: default
spec:
  containers:
    - name: main
      image: docker.io/kubekit/pause:busybox
      imagePullPolicy: IfNotPresent
`,
  ).join("---\n");
}

/** @typedef {"created" | "bound" | "kubeletStatus" | "podIP" | "running"} Step */
/** @type {Step[]} */
const STEPS = ["created", "bound", "kubeletStatus", "podIP", "running"];

/**
 * Records the steps a watch event shows a pod has reached, at `now` (ms
 * since the apply), keeping the first time each was seen.
 * @param {Map<string, Partial<Record<Step, number>>>} timelines
 * @param {string} name
 * @param {any} pod
 * @param {number} now
 */
function noteSteps(timelines, name, pod, now) {
  const timeline = timelines.get(name) ?? {};
  timelines.set(name, timeline);
  /** @type {Record<Step, boolean>} */
  const reached = {
    created: true,
    bound: Boolean(pod.spec?.nodeName),
    kubeletStatus: Boolean(pod.status?.hostIP),
    podIP: Boolean(pod.status?.podIP),
    running: pod.status?.phase === "Running",
  };
  for (const step of STEPS) if (reached[step] && timeline[step] === undefined) timeline[step] = now;
}

/**
 * Per step, p50/p90/max of the time since the step before (the first:
 * since the apply began), over the pods that reached both.
 * @param {Map<string, Partial<Record<Step, number>>>} timelines
 */
function phaseSummary(timelines) {
  /** @type {Record<string, { p50Ms: number, p90Ms: number, maxMs: number }>} */
  const phases = {};
  STEPS.forEach((step, i) => {
    const previous = STEPS[i - 1];
    const gaps = [];
    for (const timeline of timelines.values()) {
      const at = timeline[step];
      const before = previous === undefined ? 0 : timeline[previous];
      if (at !== undefined && before !== undefined) gaps.push(at - before);
    }
    const sorted = Float64Array.from(gaps).sort();
    phases[previous === undefined ? step : `${previous}→${step}`] = {
      p50Ms: Math.round(percentile(sorted, 50)),
      p90Ms: Math.round(percentile(sorted, 90)),
      maxMs: Math.round(sorted[sorted.length - 1] ?? Number.NaN),
    };
  });
  return phases;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "kubekit-bench-e2e-"));
  const dataDir = join(dir, "data");
  const args = ["up", "--data-dir", dataDir, "--runtime", "containerd"];
  for (const flag of [
    "--secure-port",
    "--store-client-port",
    "--store-peer-port",
    "--kubelet-port",
  ]) {
    args.push(flag, String(await freePort()));
  }
  const nodeArgs = (process.env.BENCH_UP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const up = spawn(process.execPath, [...nodeArgs, bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  up.stdout?.on("data", (c) => {
    output += String(c);
  });
  if (process.env.BENCH_UP_LOG) up.stderr?.pipe(createWriteStream(process.env.BENCH_UP_LOG));
  else up.stderr?.on("data", () => {});
  const exited = new Promise((r) => up.once("exit", r));
  try {
    const deadline = Date.now() + 180_000;
    while (!output.includes("kubekit is up")) {
      if (up.exitCode !== null || Date.now() > deadline)
        throw new Error(`kubekit up did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const kubeconfig = join(dataDir, "kubeconfig");
    const client = createDynamicClient(
      await restConfigFromKubeconfig(await loadKubeconfigFile(kubeconfig)),
    );
    const podClient = client.resource(Resources.pods).namespace("default");
    // Wait for the node: pods created before it exists only measure registration.
    for (;;) {
      const nodes = await client.resource(Resources.nodes).list();
      const ready = nodes.items.some((n) => {
        const node = /** @type {any} */ (n);
        return (node.status?.conditions ?? []).some(
          (/** @type {any} */ c) => c.type === "Ready" && c.status === "True",
        );
      });
      if (ready) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const list = await podClient.list();
    /** @type {Map<string, number>} */
    const latencies = new Map();
    /** @type {Map<string, Partial<Record<Step, number>>>} pod name → when each step was first seen */
    const timelines = new Map();
    const stopWatch = new AbortController();
    let t0 = 0;
    const allRunning = (async () => {
      for await (const event of podClient.watch(
        { resourceVersion: list.metadata?.resourceVersion ?? "" },
        stopWatch.signal,
      )) {
        const pod = /** @type {any} */ (event.object);
        const name = pod?.metadata?.name;
        if (t0 && name) noteSteps(timelines, name, pod, performance.now() - t0);
        if (t0 && name && !latencies.has(name) && pod.status?.phase === "Running") {
          latencies.set(name, performance.now() - t0);
          if (latencies.size === pods) return;
        }
      }
    })().catch((error) => {
      if (!stopWatch.signal.aborted) throw error;
    });
    const file = join(dir, "pods.yaml");
    await writeFile(file, manifest(pods));
    const cpu0 = await nodeCpuSeconds(up.pid ?? 0, dataDir);
    t0 = performance.now();
    await run("kubectl", [`--kubeconfig=${kubeconfig}`, "apply", "-f", file]);
    let timedOut = false;
    await Promise.race([
      allRunning,
      new Promise((r) => setTimeout(r, timeoutMs)).then(() => {
        timedOut = true;
      }),
    ]);
    const wallMs = performance.now() - t0;
    const cpu1 = await nodeCpuSeconds(up.pid ?? 0, dataDir);
    stopWatch.abort();
    const sorted = Float64Array.from(latencies.values()).sort();
    const round = (/** @type {number} */ x) => Math.round(x);
    const round2 = (/** @type {number} */ x) => Math.round(x * 100) / 100;
    const result = {
      benchmark: "e2e pod startup latency (kubectl apply → Running) on kubekit up with containerd",
      startedAt: new Date().toISOString(),
      machine: await machineInfo(),
      config: {
        pods,
        runtime: "containerd",
        network: "bridge CNI",
        via: "kubectl apply, scheduler",
      },
      running: latencies.size,
      timedOut,
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
      allRunningMs: round(wallMs),
      phases: phaseSummary(timelines),
      cpuSeconds: {
        kubekit: round2(cpu1.kubekit - cpu0.kubekit),
        containerd: round2(cpu1.containerd - cpu0.containerd),
        shims: round2(cpu1.shims - cpu0.shims),
      },
    };
    const out =
      process.env.BENCH_OUT ??
      resolve(here, `../results/e2e-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${out}`);
  } finally {
    up.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
