/** Key helpers for etcd's byte-ordered keyspace. */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A string key as the bytes etcd stores. */
export function keyBytes(key: string): Uint8Array {
  return encoder.encode(key);
}

/** Bytes from etcd back to a string (keys and values are UTF-8 JSON here). */
export function bytesText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * The range end that covers every key starting with `prefix`: the prefix
 * with its last byte incremented (etcd's `clientv3.GetPrefixRangeEnd`).
 * Our prefixes always end in `/`, which never overflows.
 */
export function prefixRangeEnd(prefix: string): Uint8Array {
  const bytes = keyBytes(prefix);
  const end = bytes.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.slice(0, i + 1);
    }
  }
  // All 0xff: etcd's "to the end of the keyspace".
  return new Uint8Array([0]);
}
