#!/usr/bin/env node
// @ts-check
/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`, as run.mjs takes
 * with BENCH_CPU_PROF=DIR): self time by function and by source area, so
 * the README can say where a store member's CPU goes without opening
 * DevTools.
 *
 *   node bench/store/profile-summary.mjs FILE.cpuprofile [top=25]
 */
import { readFile } from "node:fs/promises";

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number },
 *   hitCount?: number }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[],
 *   startTime: number, endTime: number }} Profile
 */

/** Which part of the system a script URL belongs to, for the coarse view. */
function area(/** @type {string} */ url) {
  if (url === "") return "(native/V8: GC, idle, program)";
  const pkg = url.match(/packages\/([^/]+)\/dist/);
  if (pkg) return `@kubekit/${pkg[1]}`;
  const dep = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1] ?? url;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  return url;
}

async function main() {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error("usage: profile-summary.mjs FILE.cpuprofile [top]");
  const top = Number(topText ?? 25);
  /** @type {Profile} */
  const profile = JSON.parse(await readFile(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: each sample's time delta belongs to the sampled node.
  /** @type {Map<number, number>} */
  const selfUs = new Map();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = profile.endTime - profile.startTime;
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  /** @type {Map<string, number>} */
  const byArea = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ""
        ? ""
        : ` ${url.replace(/^.*\/(packages|node_modules)\//, "$1/")}:${lineNumber + 1}`;
    const name = `${functionName || "(anonymous)"}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byArea.set(area(url), (byArea.get(area(url)) ?? 0) + us);
  }
  const pct = (/** @type {number} */ us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`profile ${file}: ${(total / 1e6).toFixed(1)} s`, "", "self time by area:"];
  for (const [name, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    lines.push(`  ${pct(us)}  ${name}`);
  }
  lines.push("", `top ${top} functions by self time:`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${pct(us)}  ${name}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error) => {
  process.stderr.write(
    `profile-summary: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
