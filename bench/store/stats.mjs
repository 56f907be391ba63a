// @ts-check
/**
 * Latency percentiles from every sample, exactly: a run records at most a
 * few tens of thousands of latencies, so a sorted Float64Array is cheap and
 * needs no histogram library or bucket rounding.
 */

/**
 * The nearest-rank percentile `p` (0-100) of sorted samples.
 * @param {Float64Array} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/**
 * Throughput and latency summary of one measured phase.
 * @param {{ samples: Float64Array, count: number, errors: number, durationMs: number }} run
 */
export function summarize({ samples, count, errors, durationMs }) {
  const sorted = samples.subarray(0, count).slice().sort();
  const round = (/** @type {number} */ x) => Math.round(x * 1000) / 1000;
  return {
    requests: count,
    errors,
    durationS: round(durationMs / 1000),
    perSecond: Math.round((count / durationMs) * 1000),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}
