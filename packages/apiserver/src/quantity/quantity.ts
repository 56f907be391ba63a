/**
 * Resource quantities (`100m`, `1.5Gi`, `2e3`) read exactly, as upstream's
 * resource.Quantity compares them: `1` and `1000m` are equal, `1Gi` is
 * larger than `1G`. Values are exact fractions of big integers.
 */
export interface Quantity {
  /** The text as given. */
  readonly text: string;
  /** value = numerator / denominator; denominator > 0. */
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** The regular expression upstream quotes when a quantity does not parse. */
export const QUANTITY_PATTERN = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** The message upstream gives for a quantity that does not parse. */
export const QUANTITY_FORMAT_MESSAGE = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
// Exponents beyond this are refused rather than expanded into enormous integers.
const MAX_EXPONENT = 1000;

const SHAPE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;

/** Parses a quantity, or returns undefined when it does not parse. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const [, sign, number, suffix] = m as unknown as [string, string, string, string];
  const [whole = "", fraction = ""] = number.split(".");
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (suffix in BINARY_SUFFIXES) exp2 = BINARY_SUFFIXES[suffix]!;
  else if (suffix in DECIMAL_SUFFIXES) exp10 += DECIMAL_SUFFIXES[suffix]!;
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > MAX_EXPONENT) return undefined;
    exp10 += e;
  } else return undefined;
  let numerator = BigInt(`${whole}${fraction}` || "0") * 2n ** BigInt(exp2);
  let denominator = 1n;
  if (exp10 >= 0) numerator *= 10n ** BigInt(exp10);
  else denominator = 10n ** BigInt(-exp10);
  if (sign === "-") numerator = -numerator;
  return { text, numerator, denominator };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whether a quantity is below zero. */
export function isNegative(q: Quantity): boolean {
  return q.numerator < 0n;
}
