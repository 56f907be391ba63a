// @ts-check
/**
 * The three measured phases: pod creates with concurrent clients, LISTs
 * of every pod, and watch fan-out. Every loop is bounded by a count and a
 * time cap.
 */
import { Worker } from "node:worker_threads";
import { percentile, summarize } from "../store/stats.mjs";
import { keepAliveAgent, nowMs, send } from "./client.mjs";

/** @typedef {import("./client.mjs").Target} Target */

/**
 * A small pod, as a controller would create it.
 * @param {string} namespace
 * @param {number} i
 */
function podBody(namespace, i) {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace, labels: { app: "bench", shard: String(i % 10) } },
    spec: { containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }] },
  });
}

/**
 * Creates `total` pods with `clients` concurrent clients (each one request
 * at a time), or as many as fit in `capMs`.
 * @param {Target} target
 * @param {{ namespace: string, total: number, clients: number, capMs: number }} phase
 */
export async function createPods(target, { namespace, total, clients, capMs }) {
  const agent = keepAliveAgent(clients);
  const samples = new Float64Array(total);
  let next = 0;
  let done = 0;
  let errors = 0;
  /** @type {string | undefined} */
  let firstError;
  const started = nowMs();
  const deadline = started + capMs;
  const client = async () => {
    while (next < total && nowMs() < deadline) {
      const i = next++;
      const t0 = nowMs();
      try {
        const res = await send(target, agent, "POST", `/api/v1/namespaces/${namespace}/pods`, {
          body: podBody(namespace, i),
        });
        if (res.status !== 201)
          throw new Error(`create answered ${res.status}: ${res.body.slice(0, 200)}`);
        samples[done++] = nowMs() - t0;
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const durationMs = nowMs() - started;
  agent.destroy();
  return {
    ...summarize({ samples, count: done, errors, durationMs }),
    timedOut: next < total,
    /** Pods pod-0 .. pod-(attempted-1) were sent (all but `errors` of them created). */
    attempted: next,
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * LISTs every pod of the namespace `rounds` times, one at a time, in the
 * way given by `query`; `pages` follows continue tokens to the end.
 * @param {Target} target
 * @param {{ namespace: string, query: string, rounds: number, capMs: number }} phase
 */
export async function listPods(target, { namespace, query, rounds, capMs }) {
  const agent = keepAliveAgent(1);
  const samples = new Float64Array(rounds);
  let count = 0;
  let errors = 0;
  let items = 0;
  let pagesPerList = 0;
  const started = nowMs();
  for (let round = 0; round < rounds && nowMs() < started + capMs; round++) {
    const t0 = nowMs();
    try {
      let cont = "";
      let pages = 0;
      items = 0;
      // Bounded: 10,000 pods in pages of 500 is 20 pages.
      for (; pages < 1_000; pages++) {
        const sep = query ? "&" : "";
        const path = `/api/v1/namespaces/${namespace}/pods?${query}${cont ? `${sep}continue=${cont}` : ""}`;
        const res = await send(target, agent, "GET", path, { timeoutMs: 120_000 });
        if (res.status !== 200)
          throw new Error(`list answered ${res.status}: ${res.body.slice(0, 200)}`);
        const list = JSON.parse(res.body);
        items += list.items.length;
        cont = list.metadata.continue ?? "";
        if (!cont) break;
      }
      pagesPerList = pages + 1;
      samples[count++] = nowMs() - t0;
    } catch {
      errors++;
    }
  }
  agent.destroy();
  const s = summarize({ samples, count, errors, durationMs: nowMs() - started });
  return {
    query,
    items,
    pagesPerList,
    lists: s.requests,
    errors,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    maxMs: s.maxMs,
  };
}

/**
 * Opens `watchers` watches on one namespace's pods (in a worker thread),
 * then annotates the namespace's one pod `updates` times, one after
 * another, and measures how long each update takes to reach every watch.
 * @param {Target} target
 * @param {{ namespace: string, watchers: number, updates: number, capMs: number, openCapMs: number }} phase
 */
export async function fanOut(target, { namespace, watchers, updates, capMs, openCapMs }) {
  const agent = keepAliveAgent(1);
  const created = await send(target, agent, "POST", `/api/v1/namespaces/${namespace}/pods`, {
    body: podBody(namespace, 0),
  });
  if (created.status !== 201) throw new Error(`fan-out pod: ${created.status} ${created.body}`);
  const worker = new Worker(new URL("./fanout-worker.mjs", import.meta.url), {
    workerData: {
      ...target,
      path: `/api/v1/namespaces/${namespace}/pods?watch=true&resourceVersion=0`,
      count: watchers,
    },
  });
  /** @type {Map<number, (times: number[]) => void>} */
  const waiting = new Map();
  /** @type {() => void} */
  let opened = () => {};
  const allOpen = new Promise((resolve) => {
    opened = () => resolve(undefined);
  });
  let workerError = "";
  let openCount = 0;
  worker.on("message", (m) => {
    if (m.type === "open") {
      openCount = m.open;
      if (openCount === watchers) opened();
    } else if (m.type === "reached") waiting.get(m.seq)?.(m.times);
    else if (m.type === "error") workerError ||= m.message;
  });
  const timeout = (/** @type {number} */ ms) =>
    new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));
  const openStarted = nowMs();
  // Opening a thousand TLS connections on a crowded machine is slow: give it its own cap.
  if ((await Promise.race([allOpen, timeout(openCapMs)])) === "timeout") {
    worker.postMessage("stop");
    await worker.terminate();
    agent.destroy();
    return {
      watchers,
      opened: openCount,
      error: `only ${openCount} watches opened in time ${workerError}`,
    };
  }
  const openMs = nowMs() - openStarted;
  const reachAll = new Float64Array(updates);
  /** @type {number[]} */
  const deliveries = [];
  let done = 0;
  let missed = 0;
  const started = nowMs();
  for (let seq = 1; seq <= updates && nowMs() < started + capMs; seq++) {
    const reached = new Promise((resolve) => waiting.set(seq, resolve));
    const t0 = nowMs();
    const res = await send(target, agent, "PATCH", `/api/v1/namespaces/${namespace}/pods/pod-0`, {
      body: JSON.stringify({ metadata: { annotations: { "bench/seq": String(seq) } } }),
      contentType: "application/merge-patch+json",
    });
    if (res.status !== 200)
      throw new Error(`fan-out patch: ${res.status} ${res.body.slice(0, 200)}`);
    const times = await Promise.race([reached, timeout(30_000)]);
    waiting.delete(seq);
    if (times === "timeout") {
      missed++;
      continue;
    }
    const arrivals = /** @type {number[]} */ (times).map((t) => t - t0);
    reachAll[done++] = Math.max(...arrivals);
    deliveries.push(...arrivals);
  }
  worker.postMessage("stop");
  await worker.terminate();
  agent.destroy();
  const all = summarize({
    samples: reachAll,
    count: done,
    errors: missed,
    durationMs: nowMs() - started,
  });
  const each = Float64Array.from(deliveries).sort();
  const round = (/** @type {number} */ x) => Math.round(x * 1000) / 1000;
  return {
    watchers,
    updates: done,
    missed,
    openAllWatchesMs: round(openMs),
    reachAllP50Ms: all.p50Ms,
    reachAllP99Ms: all.p99Ms,
    reachAllMaxMs: all.maxMs,
    perWatcherP50Ms: round(percentile(each, 50)),
    perWatcherP99Ms: round(percentile(each, 99)),
  };
}
