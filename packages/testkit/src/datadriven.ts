import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { expect, it } from "vitest";

/** One `key=value[,value...]` (or bare `key`) argument of a directive. */
export interface DataDrivenArg {
  readonly key: string;
  /** The comma-separated values; empty for a bare positional argument. */
  readonly values: readonly string[];
}

/**
 * One case of a data-driven file:
 *
 * ```
 * command pos k=v k=(a,b)
 * optional input lines
 * ----
 * expected output
 * ```
 *
 * Output containing blank lines is fenced with a second `----` line before
 * it and two `----` lines after it.
 */
export interface DataDrivenCase {
  /** `file:line` of the directive, for messages. */
  readonly pos: string;
  readonly command: string;
  readonly args: readonly DataDrivenArg[];
  /** The lines between the directive and `----`, joined by newlines. */
  readonly input: string;
  /** The expected output as written in the file (no trailing newline). */
  readonly expected: string;
  /** 0-based line range of the whole case in the file, `[start, end)`. */
  readonly lineRange: readonly [number, number];
}

/** The parsed file: cases, and the file's lines (for rewriting). */
export interface DataDrivenFile {
  readonly path: string;
  readonly lines: readonly string[];
  readonly cases: readonly DataDrivenCase[];
}

const SEPARATOR = "----";

/** Splits a directive into command and arguments; `k=(a,b)` and `k=a,b` both give two values. */
export function parseDirective(line: string): { command: string; args: DataDrivenArg[] } {
  const tokens = line.trim().split(/\s+/);
  const command = tokens[0] ?? "";
  const args = tokens.slice(1).map((tok): DataDrivenArg => {
    const eq = tok.indexOf("=");
    if (eq < 0) return { key: tok, values: [] };
    const raw = tok.slice(eq + 1).replace(/^\((.*)\)$/, "$1");
    return { key: tok.slice(0, eq), values: raw === "" ? [] : raw.split(",") };
  });
  return { command, args };
}

/** Parses the text of a data-driven file; `#` lines and blank lines between cases are skipped. */
export function parseDataDriven(path: string, text: string): DataDrivenFile {
  const lines = text.split("\n");
  const cases: DataDrivenCase[] = [];
  let i = 0;
  // Bounded: every iteration consumes at least one line.
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "" || line.startsWith("#")) {
      i++;
      continue;
    }
    const start = i;
    const { command, args } = parseDirective(line);
    i++;
    const input: string[] = [];
    while (i < lines.length && lines[i] !== SEPARATOR) input.push(lines[i++] ?? "");
    if (i >= lines.length)
      throw new Error(`${path}:${start + 1}: missing ${SEPARATOR} after directive`);
    i++; // the separator
    const expected: string[] = [];
    if (lines[i] === SEPARATOR) {
      // Fenced output: runs until two separator lines in a row.
      i++;
      while (i < lines.length && !(lines[i] === SEPARATOR && lines[i + 1] === SEPARATOR)) {
        expected.push(lines[i++] ?? "");
      }
      if (i >= lines.length) throw new Error(`${path}:${start + 1}: unterminated fenced output`);
      i += 2;
    } else {
      while (i < lines.length && (lines[i] ?? "").trim() !== "") expected.push(lines[i++] ?? "");
    }
    cases.push({
      pos: `${path}:${start + 1}`,
      command,
      args,
      input: input.join("\n"),
      expected: expected.join("\n"),
      lineRange: [start, i],
    });
  }
  return { path, lines, cases };
}

/** Renders a case's directive, input and the given output back into file lines. */
export function renderCase(tc: DataDrivenCase, directive: string, output: string): string[] {
  const out = [directive];
  if (tc.input !== "") out.push(...tc.input.split("\n"));
  out.push(SEPARATOR);
  const body = output.replace(/\n+$/, "");
  if (body.split("\n").some((l) => l.trim() === "")) {
    out.push(SEPARATOR, ...body.split("\n"), SEPARATOR, SEPARATOR);
  } else if (body !== "") {
    out.push(...body.split("\n"));
  }
  return out;
}

/** The file's text with every case's expected output replaced by `outputs[i]`. */
export function rewriteDataDriven(file: DataDrivenFile, outputs: readonly string[]): string {
  const result: string[] = [];
  let at = 0;
  file.cases.forEach((tc, n) => {
    const [start, end] = tc.lineRange;
    result.push(...file.lines.slice(at, start));
    result.push(...renderCase(tc, file.lines[start] ?? "", outputs[n] ?? ""));
    at = end;
  });
  result.push(...file.lines.slice(at));
  return result.join("\n");
}

/** Handles one case and returns its actual output. */
export type DataDrivenHandler = (tc: DataDrivenCase) => string | Promise<string>;

/** Helpers for reading a case's arguments. */
export const dd = {
  /** The values of `key`, or undefined if absent. */
  values(tc: DataDrivenCase, key: string): readonly string[] | undefined {
    return tc.args.find((a) => a.key === key)?.values;
  },
  /** The single value of `key`, or `fallback`. */
  string(tc: DataDrivenCase, key: string, fallback?: string): string | undefined {
    return tc.args.find((a) => a.key === key)?.values[0] ?? fallback;
  },
  /** The value of `key` as an integer, or `fallback`; throws on a non-integer. */
  int(tc: DataDrivenCase, key: string, fallback?: number): number | undefined {
    const v = tc.args.find((a) => a.key === key)?.values[0];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`${tc.pos}: ${key}=${v} is not an integer`);
    return n;
  },
  /** The bare (positional) arguments, in order. */
  positional(tc: DataDrivenCase): string[] {
    return tc.args.filter((a) => a.values.length === 0 && !a.key.includes("=")).map((a) => a.key);
  },
};

/**
 * Replays a data-driven file as one vitest test: cases run in order through
 * `handler` (so it may keep state from case to case) and each output must
 * equal the expected one. With `REWRITE=1` in the environment the file's
 * expected outputs are rewritten from the actual ones instead.
 */
export function runDataDriven(path: string, handler: DataDrivenHandler): void {
  it(basename(path), async () => {
    const file = parseDataDriven(path, readFileSync(path, "utf8"));
    const rewrite = process.env.REWRITE === "1";
    const outputs: string[] = [];
    for (const tc of file.cases) {
      const actual = (await handler(tc)).replace(/\n+$/, "");
      outputs.push(actual);
      if (!rewrite) expect(actual, `${tc.pos}: ${file.lines[tc.lineRange[0]]}`).toBe(tc.expected);
    }
    if (rewrite) writeFileSync(path, rewriteDataDriven(file, outputs));
  });
}
