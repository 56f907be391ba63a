/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** 32-bit FNV-1a over UTF-8 bytes. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Upstream's rand.SafeEncodeString alphabet: no vowels, no look-alikes, so no words. */
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/**
 * The hash naming a template's revision (the `pod-template-hash` of a
 * Deployment's ReplicaSets, the `controller-revision-hash` of DaemonSet
 * and StatefulSet revisions), shaped as upstream's ComputeHash: FNV-32a
 * of the template, plus the collision count when there is one (as
 * upstream, a count of 0 is still mixed in; pass undefined for none),
 * printed in decimal and encoded with upstream's safe alphabet. Upstream
 * hashes Go's printed struct, we hash the canonical JSON, so the values
 * differ from upstream's but are as stable.
 */
export function templateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  const decimal = String(fnv32a(text));
  return [...decimal].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join("");
}
