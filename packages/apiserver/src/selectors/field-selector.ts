/** One term of a field selector. */
export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** A parsed field selector: all terms must hold. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  /** Whether an object with these field values is selected (missing fields read as ""). */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** The value the selector pins `field` to with `=`, if it does. */
  requiresExactMatch(field: string): string | undefined;
  empty(): boolean;
  toString(): string;
}

/** The outcome of parsing a field selector string. */
export type FieldSelectorResult =
  | { ok: true; selector: FieldSelector }
  | { ok: false; message: string };

// Split on a separator not preceded by a backslash escape.
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") {
      i++;
    } else if (s[i] === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

// The first unescaped operator in a term; `!=` and `==` before `=`.
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === "\\") {
      i++;
      continue;
    }
    for (const op of ["!=", "==", "="]) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(
  value: string,
): { ok: true; value: string } | { ok: false; message: string } {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\") {
      const next = value[i + 1];
      if (next !== "\\" && next !== "," && next !== "=") {
        return {
          ok: false,
          message: `invalid field selector: invalid escape sequence: ${value.slice(i, i + 2)}`,
        };
      }
      out += next;
      i++;
    } else if (ch === "," || ch === "=") {
      return { ok: false, message: `invalid field selector: unescaped character in value: ${ch}` };
    } else {
      out += ch;
    }
  }
  return { ok: true, value: out };
}

const escapeValue = (v: string): string => v.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Builds a field selector from requirements. */
export function fieldSelectorFromRequirements(
  requirements: readonly FieldRequirement[],
): FieldSelector {
  const reqs = [...requirements];
  return {
    requirements: reqs,
    matches: (fields) =>
      reqs.every((r) => ((fields[r.field] ?? "") === r.value) === (r.operator === "=")),
    requiresExactMatch: (field) => reqs.find((r) => r.field === field && r.operator === "=")?.value,
    empty: () => reqs.length === 0,
    toString: () => reqs.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(","),
  };
}

/**
 * Parses a field selector (`metadata.name=x,status.phase!=Running`) with
 * upstream's grammar: terms split on unescaped commas, operators `=`, `==`
 * and `!=`, values escaped with backslashes. Terms are kept sorted, as
 * upstream sorts them. Never throws.
 */
export function parseFieldSelector(input: string): FieldSelectorResult {
  const terms = splitUnescaped(input, ",").sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === "") continue;
    const split = splitTerm(term);
    if (split === undefined)
      return { ok: false, message: `invalid selector: '${input}'; can't understand '${term}'` };
    const value = unescapeValue(split.rhs);
    if (!value.ok) return value;
    reqs.push({ field: split.lhs, operator: split.op === "!=" ? "!=" : "=", value: value.value });
  }
  return { ok: true, selector: fieldSelectorFromRequirements(reqs) };
}
