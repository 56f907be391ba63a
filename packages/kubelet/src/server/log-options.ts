/** What a `/containerLogs` request asks for (the kubelet's view of v1.PodLogOptions). */
export interface ContainerLogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Keep only the last this many lines of what is already written. */
  tailLines?: number;
  /** Keep only lines written at or after this time (epoch ms); from sinceSeconds or sinceTime. */
  sinceMs?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

const TRUE = new Set(["true", "1", "t", "T", "TRUE", "True"]);

/**
 * Parses a `/containerLogs` query as upstream's kubelet does: booleans in
 * Go's spellings, integers checked, `sinceSeconds` relative to `nowMs`,
 * at most one of `sinceSeconds` and `sinceTime`. Returns an error message
 * for a 400 on bad input.
 */
export function parseContainerLogOptions(
  query: URLSearchParams,
  nowMs: number,
): { ok: true; options: ContainerLogOptions } | { ok: false; message: string } {
  const options: ContainerLogOptions = {
    follow: TRUE.has(query.get("follow") ?? ""),
    previous: TRUE.has(query.get("previous") ?? ""),
    timestamps: TRUE.has(query.get("timestamps") ?? ""),
  };
  const ints: Record<string, number | undefined> = {};
  for (const name of ["tailLines", "sinceSeconds", "limitBytes"]) {
    const raw = query.get(name);
    if (raw === null || raw === "") continue;
    if (!/^[+-]?\d+$/.test(raw)) return { ok: false, message: `${name}: must be an integer` };
    ints[name] = Number(raw);
  }
  const sinceTime = query.get("sinceTime");
  if (ints.sinceSeconds !== undefined && sinceTime)
    return { ok: false, message: "at most one of `sinceTime` or `sinceSeconds` may be specified" };
  if (ints.tailLines !== undefined) {
    if (ints.tailLines < 0)
      return { ok: false, message: "tailLines: must be greater than or equal to 0" };
    options.tailLines = ints.tailLines;
  }
  if (ints.limitBytes !== undefined) {
    if (ints.limitBytes < 1) return { ok: false, message: "limitBytes: must be greater than 0" };
    options.limitBytes = ints.limitBytes;
  }
  if (ints.sinceSeconds !== undefined) {
    if (ints.sinceSeconds < 1)
      return { ok: false, message: "sinceSeconds: must be greater than 0" };
    options.sinceMs = nowMs - ints.sinceSeconds * 1000;
  }
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) return { ok: false, message: "sinceTime: must be an RFC 3339 time" };
    options.sinceMs = ms;
  }
  return { ok: true, options };
}
