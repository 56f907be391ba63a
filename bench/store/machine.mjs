// @ts-check
/** What the numbers were measured on, recorded beside them. */
import { execFile } from "node:child_process";
import { cpus, loadavg, release, totalmem } from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);

/** First line of a command's output, or "unknown" if it cannot be run. */
async function firstLine(/** @type {string} */ command, /** @type {string[]} */ args) {
  try {
    return (await run(command, args)).stdout.split("\n")[0]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

export async function machineInfo() {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    etcd: (await firstLine("etcd", ["--version"])).replace(/^etcd Version:\s*/, ""),
    kubekitCommit: await firstLine("git", ["rev-parse", "--short", "HEAD"]),
    // The machine is shared: a high load average when the run starts means
    // noisy numbers.
    loadAverage1mAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
