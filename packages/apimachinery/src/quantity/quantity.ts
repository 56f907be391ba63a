/**
 * Resource quantities (`100m`, `1.5Gi`, `2e3`, `128974848`) with the
 * semantics of upstream's resource.Quantity: values are exact (a bigint
 * over a power of ten, never floating point), so `0.1` CPU is exactly 100
 * millicores, `1` equals `1000m`, and `1Gi` is larger than `1G`; reading a
 * quantity as whole or milli units rounds up, as `Value()` and
 * `MilliValue()` do.
 */

/** How a quantity was written, which decides how it is printed back (upstream's `Format`). */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `numerator / 10^scale`, written in `format`. */
export interface Quantity {
  readonly numerator: bigint;
  /** Digits after the decimal point; never negative. */
  readonly scale: number;
  readonly format: QuantityFormat;
}

/** Text that is not a quantity, named in the message. */
export class QuantityError extends Error {
  override readonly name = "QuantityError";
}

/** The regular expression upstream quotes when a quantity does not parse. */
export const QUANTITY_PATTERN = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** The message upstream gives for a quantity that does not parse. */
export const QUANTITY_FORMAT_MESSAGE = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;

const BINARY_EXPONENTS: Readonly<Record<string, bigint>> = {
  Ki: 10n,
  Mi: 20n,
  Gi: 30n,
  Ti: 40n,
  Pi: 50n,
  Ei: 60n,
};

const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
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

// Larger exponents are refused rather than expanded into enormous integers
// (`1e999999999` would otherwise take the process down).
const MAX_EXPONENT = 1000;

// sign, digits (at least one, around an optional point), suffix. "E" alone is exa; "E3" an exponent.
const GRAMMAR = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE]?)$/;

/** Parses a quantity, or returns undefined when `text` is not one. JSON numbers are read as their text. */
export function tryParseQuantity(text: string | number): Quantity | undefined {
  const match = GRAMMAR.exec(String(text));
  if (!match) return undefined;
  const [, sign = "", digits = "", suffix = ""] = match;
  const [whole = "", fraction = ""] = digits.split(".");
  let numerator = BigInt(`${whole}${fraction}`);
  let scale = fraction.length;
  let format: QuantityFormat = "DecimalSI";
  const binary = BINARY_EXPONENTS[suffix];
  if (binary !== undefined) {
    numerator <<= binary;
    format = "BinarySI";
  } else {
    let exponent = DECIMAL_EXPONENTS[suffix];
    if (exponent === undefined) {
      exponent = Number(suffix.slice(1));
      if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
      format = "DecimalExponent";
    }
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else scale -= exponent;
  }
  return { numerator: sign === "-" ? -numerator : numerator, scale, format };
}

/** Parses a quantity; throws {@link QuantityError} on text upstream's resource.Quantity would reject. */
export function parseQuantity(text: string | number): Quantity {
  const quantity = tryParseQuantity(text);
  if (!quantity) {
    throw new QuantityError(
      `invalid quantity ${JSON.stringify(String(text))}: ${QUANTITY_FORMAT_MESSAGE}`,
    );
  }
  return quantity;
}

/** Division rounding towards positive infinity. */
function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

/** `a` and `b` over one power of ten, so their numerators compare and add directly. */
function aligned(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [
    a.numerator * 10n ** BigInt(scale - a.scale),
    b.numerator * 10n ** BigInt(scale - b.scale),
    scale,
  ];
}

/** The quantity in whole units, rounded up (`1500m` → 2n, `1Ki` → 1024n): `Value()`. */
export function quantityValue(q: Quantity): bigint {
  return ceilDiv(q.numerator, 10n ** BigInt(q.scale));
}

/** The quantity in thousandths, rounded up (`0.1` → 100n, `1n` → 1n): `MilliValue()`. */
export function quantityMilliValue(q: Quantity): bigint {
  return ceilDiv(q.numerator * 1000n, 10n ** BigInt(q.scale));
}

/** `a / b`, rounded up, as the downward API's resourceFieldRef divides by its divisor. */
export function divideQuantities(a: Quantity, b: Quantity): bigint {
  const [left, right] = aligned(a, b);
  if (right === 0n) throw new QuantityError("division by a zero quantity");
  return right < 0n ? ceilDiv(-left, -right) : ceilDiv(left, right);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const [left, right] = aligned(a, b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `a + b`, in `a`'s format unless `a` is zero (upstream's `Add`). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const [left, right, scale] = aligned(a, b);
  return { numerator: left + right, scale, format: a.numerator === 0n ? b.format : a.format };
}

/** `a - b`, in `a`'s format unless `a` is zero (upstream's `Sub`). */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addQuantities(a, { ...b, numerator: -b.numerator });
}

/** The sum of `quantities`; zero (DecimalSI) when there are none. */
export function sumQuantities(quantities: Iterable<Quantity>): Quantity {
  let sum: Quantity = ZERO;
  for (const q of quantities) sum = addQuantities(sum, q);
  return sum;
}

/** Zero, in the default format. */
export const ZERO: Quantity = { numerator: 0n, scale: 0, format: "DecimalSI" };

/** A whole number of units (`quantityFromValue(3n)` is `3`) in `format`. */
export function quantityFromValue(value: bigint, format: QuantityFormat = "DecimalSI"): Quantity {
  return { numerator: value, scale: 0, format };
}

/** A number of thousandths (`quantityFromMilliValue(250n)` is `250m`). */
export function quantityFromMilliValue(
  milli: bigint,
  format: QuantityFormat = "DecimalSI",
): Quantity {
  return { numerator: milli, scale: 3, format };
}
