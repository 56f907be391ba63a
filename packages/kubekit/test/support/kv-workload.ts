import { setTimeout as sleep } from "node:timers/promises";
import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { KV } from "@kubekit/proto/etcd";
import type { KvOp } from "@kubekit/testkit";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A small seeded generator (mulberry32): the workload replays from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts of what the clients saw, for assertions and for the report. */
export interface WorkloadStats {
  ackedPuts: number;
  unknownPuts: number;
  okGets: number;
  failedGets: number;
  /** gRPC error codes (or messages) seen, with counts. */
  errors: Record<string, number>;
}

/** Options of {@link runKvClients}. */
export interface KvWorkloadOptions {
  /** One client per URL, each talking only to that member. */
  readonly clientUrls: readonly string[];
  readonly keys: readonly string[];
  /** `performance.now()` at which clients stop starting new ops... */
  readonly until: number;
  /**
   * ...unless fewer than this many puts were acknowledged or gets answered
   * by then: clients go on (the faults are over) until both counts are
   * reached or `hardUntil`, so a slow machine still yields a history worth
   * checking, and a cluster that never recovers still ends the run.
   */
  readonly atLeast?: { readonly ackedPuts: number; readonly okGets: number };
  readonly hardUntil?: number;
  readonly seed: number;
  /** An op not answered in this long has an unknown outcome. */
  readonly opTimeoutMs: number;
}

/** A KV client of its own (its own HTTP/2 connection) to `url`. */
export function kvClient(url: string): Client<typeof KV> {
  return createClient(KV, createGrpcTransport({ baseUrl: url }));
}

function errorName(error: unknown): string {
  return error instanceof ConnectError ? `${error.code}: ${error.rawMessage}` : String(error);
}

/** A linearizable get of `key` through `kv`, as a history op; throws what the call threw. */
export async function timedGet(
  kv: Client<typeof KV>,
  client: number,
  key: string,
  timeoutMs: number,
): Promise<KvOp> {
  const call = performance.now();
  const response = await kv.range({ key: encoder.encode(key) }, { timeoutMs });
  const first = response.kvs[0];
  return {
    client,
    input: { kind: "get", key },
    call,
    return: performance.now(),
    output: { kind: "get", value: first === undefined ? undefined : decoder.decode(first.value) },
  };
}

/**
 * Runs one client per URL, each doing random puts (of values unique to the
 * whole run) and linearizable gets one after another until `until`, and
 * records every op with its call and return times. A put that fails in any
 * way is recorded with an unknown outcome (it may have been applied); a
 * failed get is left out (it observed nothing).
 */
export async function runKvClients(
  options: KvWorkloadOptions,
): Promise<{ history: KvOp[]; stats: WorkloadStats }> {
  const history: KvOp[] = [];
  const stats: WorkloadStats = {
    ackedPuts: 0,
    unknownPuts: 0,
    okGets: 0,
    failedGets: 0,
    errors: {},
  };
  const countError = (error: unknown) => {
    const name = errorName(error);
    stats.errors[name] = (stats.errors[name] ?? 0) + 1;
  };
  const going = (): boolean => {
    const now = performance.now();
    if (now < options.until) return true;
    const { atLeast, hardUntil = options.until } = options;
    const short =
      atLeast !== undefined &&
      (stats.ackedPuts < atLeast.ackedPuts || stats.okGets < atLeast.okGets);
    return short && now < hardUntil;
  };
  const runClient = async (client: number, url: string) => {
    const random = seededRandom(options.seed * 1000 + client);
    const kv = kvClient(url);
    // Bounded by the deadline; each op is bounded by its timeout.
    for (let n = 0; going(); n++) {
      const key = options.keys[Math.floor(random() * options.keys.length)] as string;
      if (random() < 0.5) {
        const value = `c${client}-${n}`;
        const call = performance.now();
        try {
          await kv.put(
            { key: encoder.encode(key), value: encoder.encode(value) },
            { timeoutMs: options.opTimeoutMs },
          );
          history.push({
            client,
            input: { kind: "put", key, value },
            call,
            return: performance.now(),
            output: { kind: "put" },
          });
          stats.ackedPuts++;
        } catch (error) {
          history.push({
            client,
            input: { kind: "put", key, value },
            call,
            return: Number.POSITIVE_INFINITY,
            output: undefined,
          });
          stats.unknownPuts++;
          countError(error);
          await sleep(50 + random() * 100);
        }
      } else {
        try {
          history.push(await timedGet(kv, client, key, options.opTimeoutMs));
          stats.okGets++;
        } catch (error) {
          stats.failedGets++;
          countError(error);
          await sleep(50 + random() * 100);
        }
      }
    }
  };
  await Promise.all(options.clientUrls.map((url, client) => runClient(client, url)));
  return { history, stats };
}
