// @ts-check
/** The human-readable table, with kubekit/etcd ratios per cluster size. */

/**
 * @typedef {{ perSecond: number, p50Ms: number, p90Ms: number, p99Ms: number, errors: number,
 *   serverCpuMsPerRequest: number }} Phase
 * @typedef {{ target: string, kind: string, members: number, put: Phase, range?: Phase }} Result
 */

const pad = (/** @type {unknown} */ s, /** @type {number} */ n) => String(s).padStart(n);

/** @param {Result[]} results */
export function renderTable(results) {
  const lines = [
    `${"target".padEnd(10)} ${"op".padEnd(5)} ${pad("req/s", 8)} ${pad("p50 ms", 8)} ${pad("p90 ms", 8)} ${pad("p99 ms", 8)} ${pad("errors", 6)} ${pad("srv cpu ms/req", 14)}`,
  ];
  for (const r of results) {
    for (const [op, p] of /** @type {[string, Phase | undefined][]} */ ([
      ["put", r.put],
      ["range", r.range],
    ])) {
      if (!p) continue;
      lines.push(
        `${r.target.padEnd(10)} ${op.padEnd(5)} ${pad(p.perSecond, 8)} ${pad(p.p50Ms, 8)} ${pad(p.p90Ms, 8)} ${pad(p.p99Ms, 8)} ${pad(p.errors, 6)} ${pad(p.serverCpuMsPerRequest, 14)}`,
      );
    }
  }
  lines.push(
    "",
    "kubekit / etcd (throughput: higher is better; p99 and CPU per request: lower is better)",
  );
  for (const members of [1, 3]) {
    const etcd = results.find((r) => r.kind === "etcd" && r.members === members);
    const kubekit = results.find((r) => r.kind === "kubekit" && r.members === members);
    if (!etcd || !kubekit) continue;
    for (const op of /** @type {const} */ (["put", "range"])) {
      const e = etcd[op];
      const k = kubekit[op];
      if (!e || !k) continue;
      const ratio = (/** @type {number} */ a, /** @type {number} */ b) => (a / b).toFixed(2);
      lines.push(
        `  ${members} member${members > 1 ? "s" : " "} ${op.padEnd(5)} throughput x${ratio(k.perSecond, e.perSecond)}   p99 x${ratio(k.p99Ms, e.p99Ms)}   server CPU/req x${ratio(k.serverCpuMsPerRequest, e.serverCpuMsPerRequest)}`,
      );
    }
  }
  return lines.join("\n");
}
