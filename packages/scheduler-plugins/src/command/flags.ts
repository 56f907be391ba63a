/**
 * Flag value parsers shared by the `kubekit scheduler` options: booleans
 * and Go-style durations ("15s", "1m30s", "500ms"), as upstream's flags take.
 */
import { InvalidArgumentError } from "commander";

/** `true` or `false`, nothing else (a typo must not silently mean false). */
export function parseBool(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}"`);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("15s", "1m30s", "250ms", "1.5s") in milliseconds; throws on anything else. */
export function parseDurationMs(value: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let matched = 0;
  while (re.lastIndex < value.length) {
    const at = re.lastIndex;
    const m = re.exec(value);
    if (!m) {
      re.lastIndex = at;
      break;
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (value === "" || matched !== value.length) {
    throw new InvalidArgumentError(`invalid duration "${value}" (examples: 15s, 1m30s, 500ms)`);
  }
  return total;
}

/** A TCP port, 0 to disable. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError(`invalid port "${value}"`);
  }
  return n;
}

/** A comma-separated list, appended to what earlier occurrences of the flag gave. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
