#!/usr/bin/env node
// @ts-check
/**
 * bench/kubelet: pod startup latency of `kubekit kubelet` on containerd.
 *
 * Starts `kubekit store`, `kubekit apiserver` and `kubekit kubelet` as
 * processes on loopback, the kubelet on a private containerd (Debian's,
 * through @kubekit/runtime-host) with a private CNI bridge and busybox
 * images built offline. Then creates BENCH_PODS pods (default 30) bound to
 * the node (spec.nodeName set, so no scheduler is involved) all at once,
 * and measures for each the time from just before its create request to
 * the watch event that first shows it Running. Results go to
 * bench/results/kubelet-<ISO time>.json.
 *
 * Configuration (environment):
 *   BENCH_PODS=30          pods to start
 *   BENCH_TIMEOUT_S=300    give up waiting after this long
 *   BENCH_OUT=FILE         where to write the JSON (default bench/results/...)
 *   BENCH_KUBELET_LOG=FILE keep the kubelet's JSON log lines there
 *   BENCH_KUBELET_V=N      the kubelet's --v (4: debug lines with relist and startup timings)
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDynamicClient, Resources } from "@kubekit/client";
import {
  buildBusyboxImage,
  importImage,
  PAUSE_COMMAND,
  startContainerd,
  writeBridgeNetwork,
} from "@kubekit/runtime-host";
import { processCpuSeconds } from "../store/cpu.mjs";
import { machineInfo } from "../store/machine.mjs";
import { percentile } from "../store/stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, "../../packages/kubekit/bin/kubekit.js");
const env = process.env;
const pods = Number(env.BENCH_PODS ?? 30);
const timeoutMs = Number(env.BENCH_TIMEOUT_S ?? 300) * 1000;
const NODE = "bench-node";
const NAMESPACE = "default";
const TOKEN = "bench-admin-token";

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

/**
 * Polls until `probe` returns something other than undefined.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined>} probe
 * @param {number} [limitMs]
 * @returns {Promise<T>}
 */
async function eventually(what, probe, limitMs = 120_000) {
  const deadline = Date.now() + limitMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** @type {import("node:child_process").ChildProcess[]} */
const children = [];
/**
 * @param {string | undefined} logFile where stdout goes, if anywhere
 * @param {string[]} args
 */
function startLogged(logFile, ...args) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ["ignore", logFile ? "pipe" : "ignore", "pipe"],
  });
  if (logFile) child.stdout?.pipe(createWriteStream(logFile));
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors = (errors + String(chunk)).slice(-4000);
  });
  children.push(child);
  return { child, errors: () => errors };
}

/** @param {string[]} args */
function start(...args) {
  return startLogged(undefined, ...args);
}

async function main() {
  const machine = await machineInfo();
  const dir = await mkdtemp(join(tmpdir(), "kubekit-bench-kubelet-"));
  /** @type {Awaited<ReturnType<typeof startContainerd>> | undefined} */
  let containerd;
  /** @type {Awaited<ReturnType<typeof writeBridgeNetwork>> | undefined} */
  let network;
  try {
    const image = await buildBusyboxImage({ dir, name: "kubekit/busybox", tag: "bench" });
    const pause = await buildBusyboxImage({
      dir,
      name: "kubekit/pause",
      tag: "bench",
      cmd: PAUSE_COMMAND,
    });
    containerd = await startContainerd({ sandboxImage: pause.ref });
    for (const archive of [image, pause]) {
      await importImage({
        address: containerd.address,
        archive: archive.archive,
        snapshotter: containerd.snapshotter,
      });
    }
    network = await writeBridgeNetwork({
      confDir: containerd.cniConfDir,
      bridge: `kkb${process.pid % 100_000}`,
      subnet: "10.237.0.0/24",
      dataDir: join(dir, "ipam"),
    });

    const storePort = await freePort();
    const peerPort = await freePort();
    const apiPort = await freePort();
    await writeFile(join(dir, "tokens.csv"), `${TOKEN},admin,1,"system:masters"\n`);
    const kubeconfig = join(dir, "kubeconfig");
    await writeFile(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{ name: k, cluster: { server: "https://127.0.0.1:${apiPort}", insecure-skip-tls-verify: true } }]`,
        `users: [{ name: admin, user: { token: ${TOKEN} } }]`,
        "contexts: [{ name: k, context: { cluster: k, user: admin } }]",
        "current-context: k",
        "",
      ].join("\n"),
    );
    start(
      "store",
      "--name=s1",
      `--data-dir=${join(dir, "store")}`,
      `--listen-client-urls=http://127.0.0.1:${storePort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    );
    start(
      "apiserver",
      `--etcd-servers=http://127.0.0.1:${storePort}`,
      `--secure-port=${apiPort}`,
      "--bind-address=127.0.0.1",
      `--cert-dir=${join(dir, "certs")}`,
      `--token-auth-file=${join(dir, "tokens.csv")}`,
    );
    const client = createDynamicClient({
      server: `https://127.0.0.1:${apiPort}`,
      tls: { insecureSkipTLSVerify: true },
      auth: { bearerToken: TOKEN },
    });
    const nodes = client.resource(Resources.nodes);
    await eventually("the apiserver", () => nodes.list().then(() => true));
    await mkdir(join(dir, "kubelet"), { recursive: true });
    const kubelet = startLogged(
      env.BENCH_KUBELET_LOG,
      "kubelet",
      `--kubeconfig=${kubeconfig}`,
      `--node-name=${NODE}`,
      `--container-runtime-endpoint=unix://${containerd.address}`,
      `--root-dir=${join(dir, "kubelet")}`,
      `--pod-logs-dir=${join(dir, "pod-logs")}`,
      `--cgroup-root=/kubekit-bench-${process.pid}`,
      "--node-ip=127.0.0.1",
      "--healthz-port=0",
      `--max-pods=${Math.max(110, pods + 10)}`,
      `--v=${env.BENCH_KUBELET_V ?? 0}`,
    );
    await eventually("the node Ready", async () => {
      if (kubelet.child.exitCode !== null) throw new Error(`kubelet exited: ${kubelet.errors()}`);
      const node = /** @type {any} */ (await nodes.get(NODE));
      const ready = node.status?.conditions?.find((/** @type {any} */ c) => c.type === "Ready");
      return ready?.status === "True" ? true : undefined;
    });

    const podClient = client.resource(Resources.pods).namespace(NAMESPACE);
    const list = await podClient.list();
    /** @type {Map<string, number>} name → ms from create to Running */
    const latencies = new Map();
    /** @type {Map<string, number>} */
    const createdAt = new Map();
    const stopWatch = new AbortController();
    const allRunning = new Promise((resolveAll, reject) => {
      (async () => {
        for await (const event of podClient.watch(
          { resourceVersion: list.metadata?.resourceVersion ?? "" },
          stopWatch.signal,
        )) {
          const pod = /** @type {any} */ (event.object);
          const name = pod?.metadata?.name;
          const t0 = createdAt.get(name);
          if (t0 !== undefined && !latencies.has(name) && pod.status?.phase === "Running") {
            latencies.set(name, performance.now() - t0);
            if (latencies.size === pods) resolveAll(undefined);
          }
        }
      })().catch((error) => {
        if (!stopWatch.signal.aborted) reject(error);
      });
    });
    const kubeletPid = kubelet.child.pid ?? 0;
    const cpu0 = await processCpuSeconds([kubeletPid]);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: pods }, async (_, i) => {
        const name = `bench-${i}`;
        createdAt.set(name, performance.now());
        await podClient.create(
          /** @type {any} */ ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name },
            spec: {
              nodeName: NODE,
              terminationGracePeriodSeconds: 1,
              containers: [{ name: "main", image: image.ref, command: ["sleep", "3600"] }],
            },
          }),
        );
      }),
    );
    let timedOut = false;
    await Promise.race([
      allRunning,
      new Promise((r) => setTimeout(r, timeoutMs)).then(() => {
        timedOut = true;
      }),
    ]);
    const wallMs = performance.now() - started;
    const kubeletCpuS = (await processCpuSeconds([kubeletPid])) - cpu0;
    stopWatch.abort();
    const sorted = Float64Array.from(latencies.values()).sort();
    const round = (/** @type {number} */ x) => Math.round(x);
    const result = {
      benchmark: "kubelet pod startup latency",
      startedAt: new Date().toISOString(),
      machine,
      config: { pods, runtime: "containerd", network: "bridge CNI", burst: true },
      running: latencies.size,
      timedOut,
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
      minMs: round(sorted[0] ?? Number.NaN),
      allRunningMs: round(wallMs),
      kubeletCpuS: Math.round(kubeletCpuS * 100) / 100,
    };
    const out =
      env.BENCH_OUT ??
      resolve(here, `../results/kubelet-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${out}`);

    // Clean up: delete the pods through the API and let the kubelet stop them.
    await Promise.all(
      [...createdAt.keys()].map((name) =>
        podClient.delete(name, { gracePeriodSeconds: 1 }).catch(() => {}),
      ),
    );
    await eventually("the pods gone", async () =>
      (await podClient.list()).items.length === 0 ? true : undefined,
    ).catch(() => {});
    client.close();
  } finally {
    for (const child of children.reverse()) {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    }
    await containerd?.stop();
    await network?.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
