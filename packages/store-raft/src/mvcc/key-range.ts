/**
 * Keys are byte strings. Inside the store they are kept as "binary strings"
 * (latin1: one char per byte), because JavaScript compares such strings in
 * the same order as the bytes, and they are cheap map and B-tree keys.
 */
export type KeyString = string;

/** Converts key bytes to the store's internal key string. */
export function toKeyString(bytes: Uint8Array): KeyString {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Converts an internal key string back to bytes. */
export function fromKeyString(key: KeyString): Uint8Array {
  return new Uint8Array(Buffer.from(key, "latin1"));
}

/**
 * A key range in etcd's convention: `end` empty means the single key
 * `start`; `end` equal to "\0" means every key ≥ `start`; otherwise the
 * half-open interval [start, end).
 */
export interface KeyRange {
  readonly start: KeyString;
  /** Exclusive end; `undefined` for a single key, `null` for "no upper bound". */
  readonly end: KeyString | undefined | null;
}

/** Builds a KeyRange from the key and range_end of an etcd request. */
export function keyRange(key: Uint8Array, rangeEnd: Uint8Array | undefined): KeyRange {
  const start = toKeyString(key);
  if (rangeEnd === undefined || rangeEnd.length === 0) return { start, end: undefined };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { start, end: null };
  return { start, end: toKeyString(rangeEnd) };
}

/** Whether `key` falls in `range`. */
export function inRange(range: KeyRange, key: KeyString): boolean {
  if (range.end === undefined) return key === range.start;
  if (key < range.start) return false;
  return range.end === null || key < range.end;
}

/**
 * The smallest key greater than every key that starts with `prefix`: the
 * range_end that selects a whole prefix ("abc" → "abd"; trailing 0xff bytes
 * are dropped first; an all-0xff prefix has no end and yields "\0").
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] ?? 0) < 0xff) {
      end[i] = (end[i] ?? 0) + 1;
      return end.slice(0, i + 1);
    }
  }
  return new Uint8Array([0]);
}
