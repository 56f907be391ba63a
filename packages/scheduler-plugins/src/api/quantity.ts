/**
 * Parsing of Kubernetes resource quantities (`100m`, `1Gi`, `2`, `512Mi`,
 * `1e3`, `1.5`) with the semantics of apimachinery's resource.Quantity for
 * what pods and nodes use: an exact decimal value, read back as whole units
 * or milli-units rounded up (as `Value()` and `MilliValue()` do).
 */

/** A parse failure, naming the offending text. */
export class QuantityError extends Error {
  override readonly name = "QuantityError";
}

const BINARY_SUFFIXES: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

// Powers of ten for the SI suffixes; "" is the unit.
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

// sign, integer digits, fraction digits, suffix. The number must have at least one digit.
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE]?)$/;

/**
 * An exact quantity as `numerator / 10^scale`; both bigints so that
 * `1Ei` and `1n` alike stay exact.
 */
export interface Quantity {
  readonly numerator: bigint;
  readonly scale: number;
}

// Objects repeat the same few quantity strings; parsing each once keeps snapshots cheap.
const parsed = new Map<string, Quantity>();
const PARSED_LIMIT = 10_000;

/** Parses a quantity string; throws {@link QuantityError} on text resource.Quantity would reject. */
export function parseQuantity(text: string): Quantity {
  const known = parsed.get(text);
  if (known) return known;
  const q = parseUncached(text);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(text, q);
  return q;
}

function parseUncached(text: string): Quantity {
  const match = QUANTITY.exec(text.trim());
  if (!match || text.trim() === "") throw new QuantityError(`invalid quantity "${text}"`);
  const [, sign = "", whole = "", fraction = "", suffix = ""] = match;
  if (whole === "" && fraction === "") throw new QuantityError(`invalid quantity "${text}"`);
  let numerator = BigInt(`${whole}${fraction}` || "0");
  let scale = fraction.length;
  if (suffix in BINARY_SUFFIXES) {
    numerator *= BINARY_SUFFIXES[suffix]!;
  } else {
    // "E" alone is exa; "e3"/"E3" is an exponent.
    const exponent =
      suffix.length > 1 ? Number.parseInt(suffix.slice(1), 10) : DECIMAL_SUFFIXES[suffix]!;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else scale -= exponent;
  }
  if (sign === "-") numerator = -numerator;
  return { numerator, scale };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  // bigint division truncates toward zero; round up only for positive remainders.
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}

/** The quantity in whole units, rounded up (resource.Quantity's `Value()`), e.g. memory bytes. */
export function quantityValue(q: Quantity): number {
  return Number(ceilDiv(q.numerator, 10n ** BigInt(q.scale)));
}

/** The quantity in thousandths, rounded up (resource.Quantity's `MilliValue()`), e.g. millicores. */
export function quantityMilliValue(q: Quantity): number {
  return Number(ceilDiv(q.numerator * 1000n, 10n ** BigInt(q.scale)));
}

/** Shorthand: parse and read as whole units (rounded up). */
export function parseValue(text: string): number {
  return quantityValue(parseQuantity(text));
}

/** Shorthand: parse and read as milli-units (rounded up). */
export function parseMilliValue(text: string): number {
  return quantityMilliValue(parseQuantity(text));
}
