import { setTimeout as sleep } from "node:timers/promises";
import { checkLinearizability, describeKvOp, type KvOp, kvModel } from "@kubekit/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { FAULTS, runFaultSchedule } from "./support/fault-schedule.js";
import { kvClient, runKvClients, seededRandom, timedGet } from "./support/kv-workload.js";
import { ProxiedStoreCluster } from "./support/proxied-store-cluster.js";

/**
 * Jepsen-style: several clients put and read a few keys on a real 3-process
 * `kubekit store` cluster while members are killed with SIGKILL (the leader
 * among them) and cut off from their peers; the history they record must be
 * linearizable and no acknowledged write may be lost.
 *
 * LIN_DURATION_MS (default 24000), LIN_CLIENTS (default 6) and LIN_SEED
 * (default: from the clock, printed) run it longer, wider or again.
 */

const DURATION_MS = Number(process.env.LIN_DURATION_MS ?? 24_000);
const CLIENTS = Number(process.env.LIN_CLIENTS ?? 6);
const SEED = Number(process.env.LIN_SEED ?? Date.now() % 1_000_000);
const KEYS = ["/lin/a", "/lin/b", "/lin/c"];
const OP_TIMEOUT_MS = 2_000;

/**
 * Acknowledged puts the final state contradicts: a put is lost when the
 * key's final value was written by an op that had already returned when
 * the put was called (so the put came later and should have won), or when
 * the final value is missing or was never written at all.
 */
function lostWrites(
  history: readonly KvOp[],
  finalValues: ReadonlyMap<string, string | undefined>,
): KvOp[] {
  return history.filter((op) => {
    if (op.input.kind !== "put" || op.output === undefined) return false;
    const final = finalValues.get(op.input.key);
    if (final === op.input.value) return false;
    const writer = history.find((w) => w.input.kind === "put" && w.input.value === final);
    return writer === undefined || writer.return < op.call;
  });
}

/** Reads every key from every member (retrying while it cannot answer), recording the reads. */
async function readEveryKey(
  members: ProxiedStoreCluster["members"],
  firstClient: number,
  reads: KvOp[],
): Promise<Map<string, Map<string, string | undefined>>> {
  const byMember = new Map<string, Map<string, string | undefined>>();
  for (const [i, member] of members.entries()) {
    const kv = kvClient(member.clientUrl);
    const values = new Map<string, string | undefined>();
    for (const key of KEYS) {
      for (let attempt = 0; ; attempt++) {
        const read = await timedGet(kv, firstClient + i, key, 2000).catch(() => undefined);
        if (read?.output?.kind === "get") {
          reads.push(read);
          values.set(key, read.output.value);
          break;
        }
        if (attempt > 50)
          throw new Error(`${member.name} never answered after healing:\n${member.log}`);
        await sleep(200);
      }
    }
    byMember.set(member.name, values);
  }
  return byMember;
}

describe("kubekit store: linearizability under faults", () => {
  let cluster: ProxiedStoreCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it(
    `is linearizable and loses no acknowledged write (seed ${SEED})`,
    async () => {
      cluster = await ProxiedStoreCluster.start(3);
      const members = cluster.members;
      // Ready once every member can do a linearizable read.
      for (const member of members) {
        const kv = kvClient(member.clientUrl);
        for (let attempt = 0; ; attempt++) {
          const read = await timedGet(kv, -1, KEYS[0] as string, 1000).catch(() => undefined);
          if (read !== undefined) break;
          if (attempt > 100) throw new Error(`${member.name} never served a read:\n${member.log}`);
          await sleep(200);
        }
      }

      const random = seededRandom(SEED);
      const until = performance.now() + DURATION_MS;
      const [workload, faults] = await Promise.all([
        runKvClients({
          clientUrls: Array.from(
            { length: CLIENTS },
            (_, i) => members[i % members.length]?.clientUrl as string,
          ),
          keys: KEYS,
          until,
          atLeast: { ackedPuts: 51, okGets: 51 },
          hardUntil: until + 30_000,
          seed: SEED,
          opTimeoutMs: OP_TIMEOUT_MS,
        }),
        runFaultSchedule(cluster, until, random),
      ]);

      // Faults are over and mended: every member must answer for every key,
      // and all must agree. A put that timed out may still commit a moment
      // later, so a disagreement gets a few more rounds.
      const finalReads: KvOp[] = [];
      let finalByMember = new Map<string, Map<string, string | undefined>>();
      for (let round = 0; round < 5; round++) {
        finalByMember = await readEveryKey(members, CLIENTS, finalReads);
        const distinct = new Set([...finalByMember.values()].map((v) => JSON.stringify([...v])));
        if (distinct.size === 1) break;
        await sleep(1000);
      }

      const history = [...workload.history, ...finalReads];
      const started = performance.now();
      const result = checkLinearizability(kvModel, history);
      const checkMs = performance.now() - started;
      const finalValues = finalByMember.get(members[0]?.name as string) ?? new Map();
      const lost = lostWrites(history, finalValues);
      const report = [
        `seed ${SEED}, ${CLIENTS} clients, ${DURATION_MS} ms; checked ${history.length} ops in ${checkMs.toFixed(0)} ms (${result.steps} steps): ${result.verdict}`,
        `stats ${JSON.stringify(workload.stats)}`,
        `faults ${faults.map((f) => `${f.fault} ${f.member} [${f.from.toFixed(0)}, ${f.to.toFixed(0)}]`).join("; ")}`,
        `final ${JSON.stringify([...finalByMember].map(([m, v]) => [m, [...v]]))}`,
        result.violation === undefined ? "" : `violation:\n${result.violation.description}`,
        lost.length === 0 ? "" : `lost writes:\n${lost.map(describeKvOp).join("\n")}`,
      ].join("\n");
      console.log(report);

      expect(result.verdict, report).toBe("ok");
      expect(lost, report).toEqual([]);
      for (const values of finalByMember.values()) expect(values, report).toEqual(finalValues);
      // The run did something worth checking: faults of every kind, and real work around them.
      expect(new Set(faults.map((f) => f.fault)), report).toEqual(new Set(FAULTS));
      expect(workload.stats.ackedPuts, report).toBeGreaterThan(50);
      expect(workload.stats.okGets, report).toBeGreaterThan(50);
      expect(
        members.map((m) => m.proxy.connections > 0),
        "peer traffic went through the proxies",
      ).toEqual([true, true, true]);
    },
    DURATION_MS + 90_000,
  );
});
