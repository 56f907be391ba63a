import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./ports.js";
import { makeTempDir } from "./temp-dir.js";

/** How to start a throwaway etcd for a test. All fields are optional. */
export interface StartEtcdOptions {
  /** The etcd executable: a path, or a name looked up on PATH. Default `etcd` (Debian's etcd-server). */
  readonly binary?: string;
  /** How long to wait for etcd to answer its /health endpoint, in ms. Default 15 000. */
  readonly startTimeoutMs?: number;
  /** Member name passed as `--name`. Default `kubekit-test`. */
  readonly name?: string;
  /** More command-line flags, appended after ours (etcd lets a later flag win). */
  readonly extraArgs?: readonly string[];
}

/** A running etcd on private loopback ports and a private data dir. */
export interface RunningEtcd {
  /** Client URL, `http://127.0.0.1:PORT`; serves gRPC (HTTP/2) and HTTP/1.1 on the same port. */
  readonly endpoint: string;
  /** The client port in `endpoint`. */
  readonly clientPort: number;
  /** The raft peer port. */
  readonly peerPort: number;
  /** The data directory; removed by `stop()`. */
  readonly dataDir: string;
  /** The last few KiB etcd wrote to stdout and stderr, for error messages. */
  outputTail(): string;
  /** Sends SIGTERM, waits for exit (SIGKILL after 10 s), then removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Raised when etcd cannot be started or does not become healthy in time. */
export class EtcdStartError extends Error {
  override readonly name = "EtcdStartError";
}

const DEFAULT_START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 10_000;
const HEALTH_POLL_MS = 100;
const OUTPUT_TAIL_BYTES = 4096;

/**
 * Starts a single-member etcd cluster for a test: a fresh data dir, free
 * 127.0.0.1 client and peer ports, and waits until `GET /health` reports
 * healthy. Throws an {@link EtcdStartError} naming the cause and the tail
 * of etcd's output if the binary is missing, exits early, or is not
 * healthy within the timeout; the data dir is removed in that case.
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<RunningEtcd> {
  const binary = options.binary ?? "etcd";
  const name = options.name ?? "kubekit-test";
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const [clientPort, peerPort] = await twoFreePorts();
  const dir = await makeTempDir("etcd");
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    `--name=${name}`,
    `--data-dir=${dir.path}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${name}=${peerUrl}`,
    "--initial-cluster-state=new",
    "--logger=zap",
    "--log-outputs=stderr",
    ...(options.extraArgs ?? []),
  ];

  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const tail = createOutputTail(OUTPUT_TAIL_BYTES);
  child.stdout?.on("data", (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => tail.push(chunk));
  const exited = waitForExit(child);

  const fail = async (cause: string): Promise<never> => {
    await terminate(child, exited);
    await dir.remove();
    const output = tail.text().trim();
    throw new EtcdStartError(
      `startEtcd: ${cause}${output === "" ? " (etcd wrote nothing)" : `\n--- tail of etcd output ---\n${output}`}`,
    );
  };

  const stopPolling = new AbortController();
  const outcome = await Promise.race([
    waitForHealth(clientUrl, startTimeoutMs, stopPolling.signal).then(
      (healthy) => ({ kind: healthy ? "healthy" : "timeout" }) as const,
    ),
    exited.then((exit) => ({ kind: "exited", exit }) as const),
  ]);
  stopPolling.abort();
  if (outcome.kind === "exited") {
    const { exit } = outcome;
    if (exit.spawnError !== undefined) {
      const missing = (exit.spawnError as NodeJS.ErrnoException).code === "ENOENT";
      return await fail(
        missing
          ? `etcd binary "${binary}" not found (install Debian's etcd-server, or pass options.binary)`
          : `could not run "${binary}": ${exit.spawnError.message}`,
      );
    }
    return await fail(
      `etcd exited before it was healthy (code ${exit.code}, signal ${exit.signal})`,
    );
  }
  if (outcome.kind === "timeout") {
    return await fail(
      `etcd did not report healthy on ${clientUrl}/health within ${startTimeoutMs} ms`,
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint: clientUrl,
    clientPort,
    peerPort,
    dataDir: dir.path,
    outputTail: () => tail.text(),
    stop() {
      stopping ??= terminate(child, exited).then(() => dir.remove());
      return stopping;
    },
  };
}

/**
 * Two distinct free ports. The kernel may hand the same just-closed port out
 * twice in a row, so ask again (a few times at most) until they differ.
 */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  for (let attempt = 0; attempt < 5; attempt++) {
    const second = await freePort();
    if (second !== first) return [first, second];
  }
  throw new EtcdStartError("startEtcd: could not find two distinct free ports");
}

/** How a child process ended: an exit code or signal, or a failure to spawn it at all. */
interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: Error;
}

function waitForExit(child: ChildProcess): Promise<ChildExit> {
  return new Promise((resolve) => {
    child.once("error", (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** SIGTERM, then SIGKILL if the process has not exited after a grace period. */
async function terminate(child: ChildProcess, exited: Promise<ChildExit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    await exited;
    return;
  }
  child.kill("SIGTERM");
  const graceful = await Promise.race([
    exited.then(() => true),
    sleep(STOP_GRACE_MS).then(() => false),
  ]);
  if (!graceful) {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Polls `GET <clientUrl>/health` until etcd says `"health":"true"` or the
 * deadline passes (or `abort` fires because etcd already exited). Each probe is itself bounded so a hung connection cannot
 * outlive the deadline by much.
 */
async function waitForHealth(
  clientUrl: string,
  timeoutMs: number,
  abort: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !abort.aborted) {
    try {
      const signal = AbortSignal.any([abort, AbortSignal.timeout(1_000)]);
      const response = await fetch(`${clientUrl}/health`, { signal });
      const body = (await response.json()) as { health?: unknown };
      if (response.ok && body.health === "true") return true;
    } catch {
      // Not listening yet, or not ready to answer: try again shortly.
    }
    await sleep(HEALTH_POLL_MS);
  }
  return false;
}

/** Keeps only the last `limit` bytes of a process's output. */
function createOutputTail(limit: number): { push(chunk: Buffer): void; text(): string } {
  let buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > limit) buffer = buffer.subarray(buffer.length - limit);
    },
    text: () => buffer.toString("utf8"),
  };
}
