import { isAbsolute } from "node:path";
import { InvalidArgumentError } from "commander";
import { parseLabels, parseTaints } from "../node/node-status.js";
import type { Taint } from "../node/types.js";

/** Parses `unix:///path` into a socket path; nothing else is a CRI endpoint here. */
export function parseUnixEndpoint(endpoint: string): string {
  const path = endpoint.startsWith("unix://") ? endpoint.slice("unix://".length) : "";
  if (!isAbsolute(path)) {
    throw new InvalidArgumentError(`expected unix:///absolute/path, got "${endpoint}"`);
  }
  return path;
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a Go-style duration (`500ms`, `10s`, `5m`, `1h30m`) into milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new InvalidArgumentError(`expected a duration like 10s or 5m, got "${text}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS_MS[p[2] ?? "s"] ?? 0), 0);
}

/** Parses a positive integer flag. */
export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  }
  return value;
}

/** Parses `--v`, upstream's klog verbosity: a level from 0 up. */
export function parseVerbosity(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`expected a verbosity level (0, 1, 2, ...), got "${text}"`);
  }
  return value;
}

/** The klog level from which the kubelet logs at pino's debug level (upstream's `-v=4`). */
export const DEBUG_VERBOSITY = 4;

/** Parses a TCP port (0 to 65535). */
export function parsePort(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${text}"`);
  }
  return value;
}

/** Parses `true` or `false`. */
export function parseBool(text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new InvalidArgumentError(`expected true or false, got "${text}"`);
}

/** Parses an IPv4 or IPv6 address. */
export function parseIP(text: string): string {
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(text) && text.split(".").every((o) => Number(o) <= 255)) {
    return text;
  }
  if (text.includes(":") && /^[0-9a-fA-F:.]+$/.test(text)) return text;
  throw new InvalidArgumentError(`expected an IP address, got "${text}"`);
}

/** Parses `--cluster-dns` (a comma-separated list of IPs). */
export function parseIPList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseIP);
}

/** `--register-with-taints`, as a commander parser. */
export function parseTaintsFlag(text: string): Taint[] {
  try {
    return parseTaints(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `--node-labels`, as a commander parser. */
export function parseLabelsFlag(text: string): Record<string, string> {
  try {
    return parseLabels(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `--runtime`: a CRI endpoint (`remote`, the default) or the in-process simulator (`sim`). */
export function parseRuntime(text: string): "remote" | "sim" {
  if (text === "remote" || text === "sim") return text;
  throw new InvalidArgumentError(`expected remote or sim, got "${text}"`);
}

/** The host resolver from a resolv.conf, for `dnsPolicy: Default` pods. */
export function parseResolvConf(text: string): {
  servers: string[];
  searches: string[];
  options: string[];
} {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...values] = line.split(/\s+/);
    if (key === "nameserver" && values[0]) servers.push(values[0]);
    else if (key === "search" || key === "domain") searches = values;
    else if (key === "options") options = values;
  }
  return { servers, searches, options };
}
