import { setTimeout as sleep } from "node:timers/promises";
import type { ProxiedStoreCluster } from "./proxied-store-cluster.js";

/** The faults the schedule cycles through, in this order. */
export const FAULTS = [
  "kill-follower",
  "kill-leader",
  "partition-leader",
  "partition-follower",
] as const;

/** One injected fault, for the report. */
export interface FaultRecord {
  /** `performance.now()` when it was injected and when it was undone. */
  readonly from: number;
  to: number;
  readonly fault: (typeof FAULTS)[number];
  readonly member: string;
}

async function findLeader(
  cluster: ProxiedStoreCluster,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const leader = await cluster.leader();
    if (leader !== undefined) return leader;
    await sleep(100);
  }
  return undefined;
}

/**
 * Injects faults one at a time until `until`: kill -9 of a follower, kill -9
 * of the leader (each restarted from its data dir), cutting the leader's
 * inbound peer traffic, cutting a follower's; each held for 1.5–2.5 s, with
 * 1–1.5 s of calm between. Everything is mended before it returns.
 */
export async function runFaultSchedule(
  cluster: ProxiedStoreCluster,
  until: number,
  random: () => number,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  const size = cluster.members.length;
  await sleep(1000);
  for (let round = 0; performance.now() + 4000 < until; round++) {
    const fault = FAULTS[round % FAULTS.length] as (typeof FAULTS)[number];
    const leader = await findLeader(cluster, 2000);
    const followers = Array.from({ length: size }, (_, i) => i).filter((i) => i !== leader);
    const target = fault.endsWith("leader")
      ? (leader ?? Math.floor(random() * size))
      : (followers[Math.floor(random() * followers.length)] as number);
    const member = cluster.members[target];
    if (member === undefined) break;
    const record: FaultRecord = { from: performance.now(), to: 0, fault, member: member.name };
    records.push(record);
    const hold = 1500 + random() * 1000;
    if (fault.startsWith("kill")) {
      await cluster.killMember(target);
      await sleep(hold);
      cluster.startMember(target);
    } else {
      member.proxy.partition();
      await sleep(hold);
      member.proxy.heal();
    }
    record.to = performance.now();
    await sleep(1000 + random() * 500);
  }
  for (const [i, m] of cluster.members.entries()) {
    m.proxy.heal();
    if (m.process === undefined) cluster.startMember(i);
  }
  return records;
}
