/**
 * Quantities as the scheduler's hot loops read them: plain numbers (whole
 * units or milli-units, rounded up as upstream's `Value()` and
 * `MilliValue()`), parsed by `@kubekit/apimachinery`. Objects repeat the
 * same few quantity strings, so each text is parsed once.
 */
import { parseQuantity, quantityMilliValue, quantityValue } from "@kubekit/apimachinery";

interface Read {
  readonly value: number;
  readonly milli: number;
}

const reads = new Map<string, Read>();
const READS_LIMIT = 10_000;

function read(text: string): Read {
  const known = reads.get(text);
  if (known) return known;
  const q = parseQuantity(text);
  const fresh = { value: Number(quantityValue(q)), milli: Number(quantityMilliValue(q)) };
  if (reads.size >= READS_LIMIT) reads.clear();
  reads.set(text, fresh);
  return fresh;
}

/** Parses and reads as whole units, rounded up (e.g. memory bytes); throws `QuantityError` on bad text. */
export function parseValue(text: string): number {
  return read(text).value;
}

/** Parses and reads as milli-units, rounded up (e.g. millicores); throws `QuantityError` on bad text. */
export function parseMilliValue(text: string): number {
  return read(text).milli;
}
