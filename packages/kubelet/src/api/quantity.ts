import type { Quantity } from "./types.js";

/** A quantity that does not parse as the API's `resource.Quantity` grammar. */
export class QuantityParseError extends Error {
  override readonly name = "QuantityParseError";
}

/** An exact rational number: `numerator / denominator`, denominator > 0. */
interface Rational {
  numerator: bigint;
  denominator: bigint;
}

const BINARY_SUFFIXES: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

const DECIMAL_EXPONENTS: Record<string, number> = {
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

const GRAMMAR = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

/**
 * Parses a quantity exactly (no floating point), so that `"0.1"` CPU is
 * exactly 100 millicores and `"1Gi"` exactly 2^30 bytes.
 */
function parseRational(quantity: Quantity): Rational {
  const text = String(quantity).trim();
  const match = GRAMMAR.exec(text);
  if (!match) throw new QuantityParseError(`invalid quantity ${JSON.stringify(text)}`);
  const [, sign = "", digits = "", suffix = ""] = match;
  const [whole = "", fraction = ""] = digits.split(".");
  let numerator = BigInt(`${whole}${fraction}` || "0");
  let denominator = 10n ** BigInt(fraction.length);
  if (sign === "-") numerator = -numerator;
  const binary = BINARY_SUFFIXES[suffix];
  let exponent = 0;
  if (binary !== undefined) numerator *= binary;
  else if (/^[eE]/.test(suffix)) exponent = Number(suffix.slice(1));
  else exponent = DECIMAL_EXPONENTS[suffix] ?? 0;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return { numerator, denominator };
}

/** Division rounding towards positive infinity, as `Quantity.Value()` rounds. */
function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

/** The quantity in whole units, rounded up (`"1500m"` → 2, `"1Ki"` → 1024). */
export function quantityValue(quantity: Quantity): bigint {
  const { numerator, denominator } = parseRational(quantity);
  return ceilDiv(numerator, denominator);
}

/** The quantity in thousandths, rounded up (`"0.1"` → 100, `"250m"` → 250). */
export function quantityMilliValue(quantity: Quantity): bigint {
  const { numerator, denominator } = parseRational(quantity);
  return ceilDiv(numerator * 1000n, denominator);
}

/** `quantity / divisor`, rounded up, as the downward API's resourceFieldRef reports it. */
export function quantityDivide(quantity: Quantity, divisor: Quantity): bigint {
  const a = parseRational(quantity);
  const b = parseRational(divisor);
  if (b.numerator === 0n) throw new QuantityParseError("divisor must not be zero");
  return ceilDiv(a.numerator * b.denominator, a.denominator * b.numerator);
}
