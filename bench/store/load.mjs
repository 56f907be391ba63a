// @ts-check
/**
 * The load generator, the same for every target: like etcd's `benchmark`
 * tool, `clients` concurrent request loops share `conns` HTTP/2
 * connections (one Connect gRPC transport each, spread over the cluster's
 * endpoints), each loop issuing one request at a time until a fixed count
 * is reached or a time cap passes.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { KV } from "@kubekit/proto/etcd";
import { summarize } from "./stats.mjs";

/**
 * @typedef {{ conns: number, clients: number, valueSize: number, keySpace: number,
 *   requestTimeoutMs: number }} LoadShape
 */

const encoder = new TextEncoder();

/**
 * Fixed 8-byte keys (`k` + 7 digits) over `keySpace` keys, as etcd's
 * benchmark uses 8-byte keys; random so writes spread over the key space.
 * @param {number} keySpace
 */
function randomKey(keySpace) {
  return encoder.encode(`k${String(Math.floor(Math.random() * keySpace)).padStart(7, "0")}`);
}

/**
 * One KV client per connection; each transport owns its own HTTP/2 session.
 * @param {string[]} endpoints
 * @param {LoadShape} shape
 */
export function connect(endpoints, shape) {
  return Array.from({ length: shape.conns }, (_, i) =>
    createClient(KV, createGrpcTransport({ baseUrl: endpoints[i % endpoints.length] ?? "" })),
  );
}

/**
 * Retries a single put until the cluster has a leader that commits writes,
 * or `timeoutMs` passes.
 * @param {ReturnType<typeof connect>} kvs
 * @param {number} timeoutMs
 */
export async function waitWritable(kvs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      // Every connection, so each endpoint (follower or leader) is ready.
      for (const kv of kvs)
        await kv.put(
          { key: encoder.encode("ready"), value: encoder.encode("1") },
          { timeoutMs: 2000 },
        );
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`cluster did not accept writes within ${timeoutMs} ms: ${String(last)}`);
}

/**
 * Runs `total` requests (or until `timeCapMs`) from `shape.clients`
 * concurrent loops and returns the summary. `op` is "put" (a 256-byte
 * value by default) or "range" (a linearizable single-key get, etcd's
 * default: serializable=false).
 * @param {ReturnType<typeof connect>} kvs
 * @param {LoadShape} shape
 * @param {{ op: "put" | "range", total: number, timeCapMs: number }} phase
 */
export async function runPhase(kvs, shape, { op, total, timeCapMs }) {
  const value = new Uint8Array(shape.valueSize).fill(0x61);
  const samples = new Float64Array(total);
  let issued = 0;
  let count = 0;
  let errors = 0;
  /** @type {string | undefined} */
  let firstError;
  const started = performance.now();
  const deadline = started + timeCapMs;
  const loop = async (/** @type {number} */ client) => {
    const kv = kvs[client % kvs.length];
    if (kv === undefined) return;
    const options = { timeoutMs: shape.requestTimeoutMs };
    while (issued < total && performance.now() < deadline) {
      issued++;
      const key = randomKey(shape.keySpace);
      const t0 = performance.now();
      try {
        if (op === "put") await kv.put({ key, value }, options);
        else await kv.range({ key }, options);
        samples[count++] = performance.now() - t0;
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: shape.clients }, (_, i) => loop(i)));
  const durationMs = performance.now() - started;
  return {
    ...summarize({ samples, count, errors, durationMs }),
    timedOut: issued < total,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
