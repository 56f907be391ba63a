import { isQualifiedName } from "../validation/names.js";
import { type LabelOperator, type LabelRequirement, newRequirement } from "./label-requirement.js";
import { type LabelSelector, selectorFromRequirements } from "./label-selector.js";

/** The outcome of parsing a selector string. */
export type LabelSelectorResult =
  | { ok: true; selector: LabelSelector }
  | { ok: false; message: string };

type TokenKind =
  | "ident"
  | "end"
  | "error"
  | "!"
  | "!="
  | "("
  | ")"
  | ","
  | "="
  | "=="
  | ">"
  | "<"
  | "in"
  | "notin";

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = new Set(["!", "!=", "(", ")", ",", "=", "==", ">", "<"]);
const SPECIAL_CHARS = new Set(["!", "=", ">", "<", "(", ")", ","]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

// Splits the selector into tokens once; `in` and `notin` stay identifiers
// here and become operators only where the parser expects an operator.
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SPECIAL_CHARS.has(ch)) {
      // Longest run of special characters that is a known symbol.
      let buffer = "";
      let last: Token | undefined;
      while (i < input.length && SPECIAL_CHARS.has(input[i]!)) {
        buffer += input[i]!;
        if (SYMBOLS.has(buffer)) {
          last = { kind: buffer as TokenKind, text: buffer };
        } else if (last !== undefined) {
          buffer = buffer.slice(0, -1);
          break;
        }
        i++;
      }
      if (last === undefined) {
        tokens.push({ kind: "error", text: `error expected: keyword found '${buffer}'` });
        return tokens;
      }
      tokens.push(last);
    } else {
      let j = i;
      while (j < input.length && !WHITESPACE.has(input[j]!) && !SPECIAL_CHARS.has(input[j]!)) j++;
      tokens.push({ kind: "ident", text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

class ParseError extends Error {
  override readonly name = "ParseError";
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== "end") this.pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "end") return out;
      if (t.kind !== "ident" && t.kind !== "!") {
        throw new ParseError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      }
      out.push(this.requirement());
      const sep = this.next();
      if (sep.kind === "end") return out;
      if (sep.kind !== ",")
        throw new ParseError(`found '${sep.text}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.kind !== "ident" && after.kind !== "!") {
        throw new ParseError(`found '${after.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let t = this.next();
    if (t.kind === "!") {
      operator = "!";
      t = this.next();
    }
    if (t.kind !== "ident") throw new ParseError(wrap(`found '${t.text}', expected: identifier`));
    const key = t.text;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0) {
      // Upstream checks the key before the operator, against a nil field path.
      throw new ParseError(
        wrap(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join("; ")}`),
      );
    }
    const after = this.peek().kind;
    // `!key` always stands alone; whatever follows is the caller's to judge.
    if (operator === "!" || after === "end" || after === ",") {
      return this.make(key, operator ?? "exists", []);
    }
    const op = this.operator();
    const values = op === "in" || op === "notin" ? this.valueSet() : this.exactValue();
    return this.make(key, op, values);
  }

  private make(key: string, op: LabelOperator, values: string[]): LabelRequirement {
    const made = newRequirement(key, op, values);
    if (!made.ok) throw new ParseError(wrap(made.message));
    return made.requirement;
  }

  private operator(): LabelOperator {
    const t = this.next();
    if (t.kind === "ident" && (t.text === "in" || t.text === "notin")) return t.text;
    switch (t.kind) {
      case "=":
      case "==":
      case "!=":
        return t.kind;
      case ">":
        return "gt";
      case "<":
        return "lt";
      default:
        throw new ParseError(wrap(`found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`));
    }
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== "(") throw new ParseError(wrap(`found '${open.text}' expected: '('`));
    const t = this.peek();
    if (t.kind === ")") {
      this.next();
      // Upstream reads `()` as the set holding the empty string.
      return [""];
    }
    if (t.kind !== "ident" && t.kind !== ",") {
      throw new ParseError(wrap(`found '${t.text}', expected: ',', ')' or identifier`));
    }
    const values = this.identifierList();
    const close = this.next();
    if (close.kind !== ")") throw new ParseError(wrap(`found '${close.text}', expected: ')'`));
    return values;
  }

  // `a,b`, `a,`, `,a` and `a,,b` are all allowed: an empty slot is the empty string.
  private identifierList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const t = this.peek();
      if (t.kind === "ident") {
        this.next();
        values.add(t.text);
        const after = this.peek();
        if (after.kind === ",") continue;
        if (after.kind === ")") return [...values];
        throw new ParseError(wrap(`found '${after.text}', expected: ',' or ')'`));
      }
      if (t.kind === ",") {
        this.next();
        if (values.size === 0) values.add("");
        const after = this.peek();
        if (after.kind === ")") {
          values.add("");
          return [...values];
        }
        if (after.kind === ",") {
          values.add("");
        }
        continue;
      }
      this.next();
      throw new ParseError(wrap(`found '${t.text}', expected: ',', or identifier`));
    }
  }

  private exactValue(): string[] {
    const t = this.peek();
    if (t.kind === "end" || t.kind === ",") return [""];
    this.next();
    if (t.kind === "ident") return [t.text];
    throw new ParseError(wrap(`found '${t.text}', expected: identifier`));
  }
}

const wrap = (message: string): string => `unable to parse requirement: ${message}`;

/**
 * Parses a label selector string (`app=web,tier in (fe,be),!canary`) with
 * upstream's grammar: `=`, `==`, `!=`, `in`, `notin`, bare key (exists),
 * `!key` (does not exist), and `>`/`<` on integer values. Never throws.
 */
export function parseLabelSelector(input: string): LabelSelectorResult {
  try {
    const tokens = tokenize(input);
    const error = tokens.find((t) => t.kind === "error");
    if (error) return { ok: false, message: error.text };
    return { ok: true, selector: selectorFromRequirements(new Parser(tokens).parse()) };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, message: err.message };
    throw err;
  }
}
