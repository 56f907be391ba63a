/**
 * Resource quantities as quota needs them: exact sums. A quantity is held
 * in milli-units as a bigint (`1` cpu = 1000n, `1Ki` = 1_024_000n), plus
 * whether it was written with a binary suffix, which decides how a sum is
 * printed (upstream keeps the format of the quantities it adds).
 */
export interface Quantity {
  milli: bigint;
  binary: boolean;
}

// n, u and m divide rather than multiply; they are handled where a quantity is parsed.
const DECIMAL: Record<string, bigint> = {
  "": 1n,
  k: 1_000n,
  M: 1_000_000n,
  G: 1_000_000_000n,
  T: 1_000_000_000_000n,
  P: 1_000_000_000_000_000n,
  E: 1_000_000_000_000_000_000n,
};
const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
};

/** Parses `100m`, `1.5Gi`, `2e3`, `128974848`; undefined when it is not a quantity. Sub-milli parts round up, as upstream's MilliValue. */
export function parseQuantity(text: string): Quantity | undefined {
  const m =
    /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, sign, number = "0", exponent, suffix = ""] = m;
  const [whole = "0", fraction = ""] = number.split(".");
  // value = digits / 10^fraction.length, in units; scale to milli with a rational.
  let numerator = BigInt(whole + fraction || "0") * 1000n;
  let denominator = 10n ** BigInt(fraction.length);
  const binary = suffix in BINARY;
  if (exponent) {
    const e = Number(exponent.slice(1));
    if (e >= 0) numerator *= 10n ** BigInt(e);
    else denominator *= 10n ** BigInt(-e);
  } else if (binary) {
    numerator *= BINARY[suffix] as bigint;
  } else if (suffix === "n") {
    denominator *= 1_000_000_000n;
  } else if (suffix === "u") {
    denominator *= 1_000_000n;
  } else if (suffix === "m") {
    denominator *= 1000n;
  } else {
    numerator *= DECIMAL[suffix] as bigint;
  }
  let milli = numerator / denominator;
  if (milli * denominator < numerator) milli += 1n;
  return { milli: sign === "-" ? -milli : milli, binary };
}

/** The sum of quantities; binary if the first one was (upstream keeps the first format). */
export function addQuantities(quantities: readonly Quantity[]): Quantity {
  let milli = 0n;
  for (const q of quantities) milli += q.milli;
  return { milli, binary: quantities[0]?.binary ?? false };
}

/** Prints a quantity canonically: `500m`, `2`, `1536Mi`, `3G`, `0`. */
export function formatQuantity(q: Quantity): string {
  if (q.milli === 0n) return "0";
  const negative = q.milli < 0n;
  const abs = negative ? -q.milli : q.milli;
  const sign = negative ? "-" : "";
  if (abs % 1000n !== 0n) return `${sign}${abs}m`;
  const units = abs / 1000n;
  if (q.binary) {
    for (const suffix of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
      const f = BINARY[suffix] as bigint;
      if (units % f === 0n) return `${sign}${units / f}${suffix}`;
    }
    if (units < 1024n) return `${sign}${units}`;
  }
  for (const suffix of ["E", "P", "T", "G", "M", "k"]) {
    const f = DECIMAL[suffix] as bigint;
    if (units % f === 0n) return `${sign}${units / f}${suffix}`;
  }
  return `${sign}${units}`;
}
