import type { Quantity } from "./quantity.js";

/** SI suffixes by power of ten; canonical forms use only multiples of three. */
const SI_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [-9, "n"],
  [-6, "u"],
  [-3, "m"],
  [0, ""],
  [3, "k"],
  [6, "M"],
  [9, "G"],
  [12, "T"],
  [15, "P"],
  [18, "E"],
]);

/** Binary suffixes from the largest, by power of two. */
const BINARY_SUFFIXES: ReadonlyArray<readonly [bigint, string]> = [
  [60n, "Ei"],
  [50n, "Pi"],
  [40n, "Ti"],
  [30n, "Gi"],
  [20n, "Mi"],
  [10n, "Ki"],
];

/**
 * `abs / 10^scale` as `mantissa × 10^exponent` with the exponent a
 * multiple of three and as large as keeps the mantissa whole, but not below
 * -9: precision beyond nano is rounded up (away from zero), as upstream does.
 */
function decimalParts(abs: bigint, scale: number): [bigint, number] {
  let mantissa = abs;
  let exponent = -scale;
  // Below nano, round up what falls off.
  while (exponent < -9) {
    mantissa = mantissa / 10n + (mantissa % 10n > 0n ? 1n : 0n);
    exponent += 1;
  }
  // Down to a multiple of three: exact, the mantissa only grows.
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  // Then move whole thousands into the exponent.
  while (mantissa !== 0n && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  return [mantissa, exponent];
}

/** Prints `|q|` as DecimalSI (`1500k`, `250m`) or DecimalExponent (`15e5`, `25e-2`). */
function formatDecimal(abs: bigint, scale: number, exponentForm: boolean): string {
  let [mantissa, exponent] = decimalParts(abs, scale);
  if (exponentForm) return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Past exa there is no suffix: the mantissa grows instead.
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${SI_SUFFIXES.get(exponent)}`;
}

/**
 * A quantity's canonical text, as upstream's `Quantity.String()` prints it
 * (and as the apiserver stores quantities): `1000m` → `1`, `1.5Gi` →
 * `1536Mi`, `1536` written as `1.5Ki` → `1536`, `0.5` → `500m`, `1e3` →
 * `1e3`. Binary quantities below 1024 or with a fraction print as decimal
 * ones, so nothing is lost.
 */
export function formatQuantity(q: Quantity): string {
  if (q.numerator === 0n) return "0";
  const sign = q.numerator < 0n ? "-" : "";
  const abs = q.numerator < 0n ? -q.numerator : q.numerator;
  if (q.format === "BinarySI") {
    const unit = 10n ** BigInt(q.scale);
    if (abs % unit === 0n && abs / unit >= 1024n) {
      const whole = abs / unit;
      for (const [bits, suffix] of BINARY_SUFFIXES) {
        const factor = 1n << bits;
        if (whole % factor === 0n) return `${sign}${whole / factor}${suffix}`;
      }
      return `${sign}${whole}`;
    }
    return `${sign}${formatDecimal(abs, q.scale, false)}`;
  }
  return `${sign}${formatDecimal(abs, q.scale, q.format === "DecimalExponent")}`;
}
