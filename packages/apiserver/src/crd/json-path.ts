import { isRecord } from "../types/object.js";

/*
 * The subset of kubectl's JSONPath that CRD printer columns and scale
 * paths use: `.a.b`, `['a.b']`, `[0]`, `[*]` and a filter on one field,
 * `[?(@.type=="Ready")]`. Curly braces around the expression are allowed.
 */

type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "all" }
  | { kind: "filter"; path: string[]; value: string };

const FILTER = /^\?\(@((?:\.[^=!\s.]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|([^)\s]+))\)$/;

/** Parses a path, or returns undefined when it uses more than the subset above. */
export function parseJsonPath(expr: string): Step[] | undefined {
  let s = expr.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (s.startsWith("$")) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ".") {
      const m = /^[^.[\]]+/.exec(s.slice(i + 1));
      if (!m) return undefined;
      steps.push({ kind: "field", name: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === "[") {
      const end = s.indexOf("]", i);
      if (end < 0) return undefined;
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      const filter = FILTER.exec(inner);
      if (inner === "*") steps.push({ kind: "all" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (quoted) steps.push({ kind: "field", name: quoted[1] ?? quoted[2] ?? "" });
      else if (filter)
        steps.push({
          kind: "filter",
          path: filter[1]!.slice(1).split("."),
          value: filter[2] ?? filter[3] ?? filter[4] ?? "",
        });
      else return undefined;
    } else return undefined;
  }
  return steps;
}

function stepValues(value: unknown, step: Step): unknown[] {
  switch (step.kind) {
    case "field":
      return isRecord(value) && value[step.name] !== undefined ? [value[step.name]] : [];
    case "index": {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case "all":
      return Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    case "filter": {
      const items = Array.isArray(value) ? value : [];
      return items.filter((item) => {
        let v: unknown = item;
        for (const name of step.path) v = isRecord(v) ? v[name] : undefined;
        return v !== undefined && String(v) === step.value;
      });
    }
  }
}

/** Every value the path selects in `obj` (none when the path does not parse). */
export function evaluateJsonPath(obj: unknown, expr: string): unknown[] {
  const steps = parseJsonPath(expr);
  if (!steps) return [];
  let values: unknown[] = [obj];
  for (const step of steps) values = values.flatMap((v) => stepValues(v, step));
  return values;
}

/**
 * Sets the field a simple dotted path (`.spec.replicas`) names, creating
 * the objects on the way. Returns false for paths with anything but fields.
 */
export function setByJsonPath(obj: Record<string, unknown>, expr: string, value: unknown): boolean {
  const steps = parseJsonPath(expr);
  if (!steps || steps.length === 0 || steps.some((s) => s.kind !== "field")) return false;
  let cur: Record<string, unknown> = obj;
  const names = steps.map((s) => (s as { name: string }).name);
  for (const name of names.slice(0, -1)) {
    if (!isRecord(cur[name])) cur[name] = {};
    cur = cur[name] as Record<string, unknown>;
  }
  cur[names[names.length - 1]!] = value;
  return true;
}
