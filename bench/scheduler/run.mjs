#!/usr/bin/env node
// @ts-check
/**
 * bench/scheduler: kubekit's KubeScheduler in the manner of upstream's
 * scheduler_perf. In ONE process, with no apiserver: nodes and pods are fed
 * through the same informer-style handlers the `kubekit scheduler` command
 * wires to its informers (onNodeAdd, onPodAdd, onPodUpdate, onPodDelete),
 * bindings and preemption's deletions come straight back as the pod
 * update/delete an informer would deliver. What is measured is the
 * scheduler itself: queue, snapshot, plugins, binding cycle.
 *
 * Usage: node bench/scheduler/run.mjs [--nodes 5000] [--pods 10000]
 *          [--workloads basic,anti-affinity,spread,preemption] [--cap-s 300] [--out FILE]
 * Needs @kubekit/scheduler-plugins built (npx nx run scheduler-plugins:build).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KubeScheduler, seededRandom } from "@kubekit/scheduler-plugins";
import { machineInfo } from "../store/machine.mjs";
import { makeNode, WORKLOADS } from "./workloads.mjs";

/** @typedef {import("@kubekit/scheduler-plugins").Pod} Pod */

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5000" },
    pods: { type: "string", default: "10000" },
    workloads: { type: "string", default: "basic,anti-affinity,spread,preemption" },
    "cap-s": { type: "string", default: "300" },
    out: { type: "string" },
  },
});
const nodes = Number(values.nodes);
const pods = Number(values.pods);
const capMs = Number(values["cap-s"]) * 1000;

/**
 * The scheduler's clock: real time, plus whatever backoff the harness skips
 * when nothing is runnable (so a requeued pod does not sit out 1 s of real
 * backoff; the skipped time is not counted in any latency).
 */
function skippingClock() {
  let skipped = 0;
  /** @type {{ at: number, fn: () => void }[]} */
  let timers = [];
  const now = () => performance.now() + skipped;
  return {
    now,
    setTimer(/** @type {() => void} */ fn, /** @type {number} */ ms) {
      const t = { at: now() + ms, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
    skip(/** @type {number} */ ms) {
      skipped += ms;
      const due = timers.filter((x) => x.at <= now());
      timers = timers.filter((x) => x.at > now());
      for (const t of due) t.fn();
    },
  };
}

/** Exact percentile of a sorted array. */
function percentile(/** @type {number[]} */ sorted, /** @type {number} */ p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (/** @type {number} */ x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** One workload on a fresh scheduler and cluster. */
async function runWorkload(/** @type {import("./workloads.mjs").Workload} */ w) {
  const clock = skippingClock();
  const measured = w.measuredPods(nodes, pods);
  const names = new Set(measured.map((p) => p.metadata.name));
  /** @type {number[]} */
  const attemptMs = [];
  const attempts = { scheduled: 0, unschedulable: 0, error: 0 };
  let bound = 0;
  let preempted = 0;
  /** @type {KubeScheduler} */
  let scheduler;
  scheduler = new KubeScheduler({
    clock,
    random: seededRandom(42),
    binder: {
      // The apiserver's answer, as the pod informer would deliver it.
      async bind(pod, nodeName) {
        scheduler.onPodUpdate(pod, { ...pod, spec: { ...pod.spec, nodeName } });
      },
    },
    podDeleter: {
      async deletePod(pod) {
        preempted++;
        scheduler.onPodDelete(pod);
      },
    },
    onEvent: (e) => {
      if (e.type === "Scheduled" && names.has(e.pod.metadata.name)) bound++;
    },
    onAttempt: (o) => {
      attempts[o.result]++;
      if (o.result === "scheduled") attemptMs.push(o.durationMs);
    },
  });
  for (let i = 0; i < nodes; i++) scheduler.onNodeAdd(makeNode(i));
  for (const p of w.initPods(nodes)) scheduler.onPodAdd(p);

  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const p of measured) scheduler.onPodAdd(p);
  let timedOut = false;
  let idleRounds = 0;
  let lastFlush = performance.now();
  while (bound < measured.length) {
    const now = performance.now();
    if (now - start > capMs) {
      timedOut = true;
      break;
    }
    // As the command's 1 s timer: release pods whose backoff ended.
    if (now - lastFlush >= 1000) {
      scheduler.flushQueues();
      lastFlush = now;
    }
    const { attempted, binding } = await scheduler.scheduleNext();
    if (!attempted) {
      // Nothing runnable: skip ahead through backoff instead of sleeping.
      if (++idleRounds > 100) break;
      clock.skip(1000);
      scheduler.flushQueues();
      continue;
    }
    idleRounds = 0;
    await binding;
  }
  const elapsedS = (performance.now() - start) / 1000;
  // CPU time of the process over the same span: on a shared machine, far steadier than wall time.
  const cpu = process.cpuUsage(cpuStart);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  attemptMs.sort((a, b) => a - b);
  return {
    workload: w.name,
    upstreamCase: w.upstream,
    nodes,
    initPods: w.initPods(nodes).length,
    measuredPods: measured.length,
    boundPods: bound,
    preemptedVictims: preempted,
    timedOut,
    elapsedS: round(elapsedS),
    throughputPodsPerS: round(bound / elapsedS, 1),
    cpuS: round(cpuS),
    podsPerCpuS: round(bound / cpuS, 1),
    attempts,
    // Per-pod scheduling attempt duration (pop → bound), as scheduler_scheduling_attempt_duration_seconds.
    attemptLatencyMs: {
      p50: round(percentile(attemptMs, 50)),
      p90: round(percentile(attemptMs, 90)),
      p99: round(percentile(attemptMs, 99)),
      max: round(attemptMs.at(-1) ?? 0),
    },
    loadAverage1mAtEnd: round(loadavg()[0] ?? 0),
  };
}

const machine = await machineInfo();
const results = [];
for (const name of (values.workloads ?? "").split(",").filter(Boolean)) {
  const w = WORKLOADS[name];
  if (!w)
    throw new Error(`unknown workload "${name}" (known: ${Object.keys(WORKLOADS).join(", ")})`);
  process.stderr.write(`${name}: ${nodes} nodes, ${pods} pods...\n`);
  const r = await runWorkload(w);
  process.stderr.write(`${JSON.stringify(r)}\n`);
  results.push(r);
}

const report = {
  benchmark: "scheduler",
  method:
    "one process, no apiserver: KubeScheduler fed through the informer-style handlers the command uses; bindings and deletions return at once as informer updates; backoff time skipped by the harness's clock",
  config: { nodes, pods, capS: capMs / 1000, profile: "default-scheduler (default plugins)" },
  machine: { ...machine, etcd: undefined },
  results,
};
const here = dirname(fileURLToPath(import.meta.url));
const out =
  values.out ??
  resolve(here, "../results", `scheduler-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${out}`);
for (const r of results) {
  console.log(
    `${r.workload.padEnd(14)} ${String(r.boundPods).padStart(6)}/${r.measuredPods} bound  ${String(r.throughputPodsPerS).padStart(8)} pods/s  ${String(r.podsPerCpuS).padStart(8)} pods/cpu-s  p99 ${r.attemptLatencyMs.p99} ms${r.timedOut ? "  (time cap hit)" : ""}`,
  );
}
