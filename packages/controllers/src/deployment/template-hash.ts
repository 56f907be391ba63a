import type { PodTemplateSpec } from "../common/types.js";

/** The label carrying the template hash on a Deployment's ReplicaSets and pods. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
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
 * The pod-template-hash of a template: FNV-32a, as upstream, over the
 * template's canonical JSON (upstream hashes Go's printed struct, so the
 * values differ from upstream's, but are as stable), plus the collision
 * count when set; encoded with upstream's safe alphabet.
 */
export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  const decimal = String(fnv32a(text));
  return [...decimal].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join("");
}

/** A template without the pod-template-hash label, for comparing templates. */
function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = copy.metadata.labels;
    copy.metadata.labels = labels;
    if (Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}

/** Whether two templates are the same apart from the hash label (upstream's EqualIgnoreHash). */
export function equalIgnoreHash(
  a: PodTemplateSpec | undefined,
  b: PodTemplateSpec | undefined,
): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}
