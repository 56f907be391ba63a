// @ts-check
/**
 * CPU time spent by the servers and by the load generator during a phase.
 * On a shared 2-core machine throughput depends on what else runs; CPU
 * time per request depends much less on it, so it is recorded beside the
 * throughput as the steadier measure of each server's cost.
 */
import { readFile } from "node:fs/promises";

// Linux reports utime/stime in clock ticks; USER_HZ is 100 on every
// mainstream architecture (getconf CLK_TCK).
const TICKS_PER_SECOND = 100;

/**
 * user + system CPU seconds of the processes `pids` (the members), from
 * /proc/<pid>/stat fields 14 and 15. Exited processes count as 0.
 * @param {number[]} pids
 */
export async function processCpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      // The command name (field 2) may hold spaces; fields after it are plain.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // The process has gone: nothing to add.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** This process's (the load generator's) user + system CPU seconds. */
export function selfCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
