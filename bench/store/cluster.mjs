// @ts-check
/**
 * Starting and stopping the benchmark's targets: an etcd 3.4 cluster or a
 * `kubekit store` cluster, 1 or 3 members, each member a real process with a
 * private data dir on disk (fsync on, as both default to) and private
 * loopback ports.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const KUBEKIT_BIN = fileURLToPath(
  new URL("../../packages/kubekit/bin/kubekit.js", import.meta.url),
);
const STOP_GRACE_MS = 10_000;
const TAIL_BYTES = 4096;

/**
 * @typedef {"etcd" | "kubekit"} Kind
 * @typedef {{ kind: Kind, members: number, clientUrls: string[], dataDirs: string[],
 *   pids: number[], outputTail: () => string, stop: () => Promise<void> }} Cluster
 * @typedef {{ kind: Kind, members: number, cpuProfDir?: string }} ClusterOptions
 */

/** A free TCP port on 127.0.0.1 (the kernel picks it; we close and reuse it). */
export function freePort() {
  return /** @type {Promise<number>} */ (
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        const port = typeof address === "object" && address !== null ? address.port : 0;
        server.close(() => resolve(port));
      });
    })
  );
}

/**
 * `n` distinct free ports (the kernel may hand a just-closed port out twice).
 * @param {number} n
 */
async function freePorts(n) {
  const ports = new Set();
  for (let attempt = 0; ports.size < n && attempt < n * 5; attempt++) ports.add(await freePort());
  if (ports.size < n) throw new Error(`could not find ${n} distinct free ports`);
  return [...ports];
}

/**
 * Starts a cluster of `members` processes and returns once they are spawned;
 * readiness (a leader that accepts writes) is the load generator's job, as it
 * is the same check for both kinds.
 * @param {ClusterOptions} options
 * @returns {Promise<Cluster>}
 */
export async function startCluster({ kind, members, cpuProfDir }) {
  const names = Array.from({ length: members }, (_, i) => `m${i + 1}`);
  const ports = await freePorts(members * 2);
  const clientUrls = names.map((_, i) => `http://127.0.0.1:${ports[i]}`);
  const peerUrls = names.map((_, i) => `http://127.0.0.1:${ports[members + i]}`);
  const initialCluster = names.map((n, i) => `${n}=${peerUrls[i]}`).join(",");
  const dataDirs = await Promise.all(
    names.map((n) => mkdtemp(join(tmpdir(), `kubekit-bench-${kind}-${n}-`))),
  );
  let tail = "";
  const children = names.map((name, i) => {
    // The same etcd flag names for both; etcd's own defaults for heartbeat
    // (100 ms) and election timeout (1000 ms) written out for kubekit.
    const common = [
      `--name=${name}`,
      `--data-dir=${dataDirs[i]}`,
      `--listen-client-urls=${clientUrls[i]}`,
      `--advertise-client-urls=${clientUrls[i]}`,
      `--listen-peer-urls=${peerUrls[i]}`,
      `--initial-advertise-peer-urls=${peerUrls[i]}`,
      `--initial-cluster=${initialCluster}`,
      "--initial-cluster-state=new",
      `--initial-cluster-token=bench-${kind}-${members}`,
      "--heartbeat-interval=100",
      "--election-timeout=1000",
    ];
    const [command, args] =
      kind === "etcd"
        ? ["etcd", [...common, "--logger=zap", "--log-outputs=stderr", "--log-level=warn"]]
        : [
            process.execPath,
            [
              ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []),
              KUBEKIT_BIN,
              "store",
              ...common,
            ],
          ];
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    // Keep only a tail of the logs for error messages; drain the rest so a
    // full pipe never stalls a member.
    child.stderr?.on("data", (chunk) => {
      tail = `${tail}[${name}] ${chunk}`.slice(-TAIL_BYTES);
    });
    return child;
  });
  const exits = children.map(
    (child) =>
      /** @type {Promise<void>} */ (new Promise((resolve) => child.once("exit", () => resolve()))),
  );
  let stopping;
  return {
    kind,
    members,
    clientUrls,
    dataDirs,
    pids: children.map((child) => child.pid ?? 0),
    outputTail: () => tail,
    stop() {
      stopping ??= (async () => {
        for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
        const timer = setTimeout(() => {
          for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
        }, STOP_GRACE_MS);
        await Promise.all(exits);
        clearTimeout(timer);
        await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })));
      })();
      return stopping;
    },
  };
}
