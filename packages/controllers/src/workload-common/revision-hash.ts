import type { KubeObject, OwnerReference } from "@kubekit/client";

/** The label carrying the template hash on DaemonSet and StatefulSet pods and revisions. */
export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";

/** apps/v1 ControllerRevision. */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

// Upstream's rand.SafeEncodeString alphabet: no vowels (no words) and no look-alike characters.
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The hash naming a template's revision, as upstream's ComputeHash shapes
 * it: 32-bit FNV-1a of the template (here its canonical JSON, upstream
 * hashes the Go struct, so values differ), mixed with the collision
 * count, printed in decimal and safe-encoded.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = canonicalJson(template) + (collisionCount ? String(collisionCount) : "");
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join("");
}

/** A ControllerRevision recording `template` for `owner`, named `<owner>-<hash>`. */
export function newControllerRevision(
  owner: KubeObject,
  ownerRef: OwnerReference,
  template: unknown,
  hash: string,
  revision: number,
  labels: Record<string, string>,
): ControllerRevision {
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: `${owner.metadata?.name}-${hash}`,
      namespace: owner.metadata?.namespace ?? "",
      labels: { ...labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRef],
    },
    // Upstream stores a strategic merge patch of the spec; the full template is its equivalent.
    data: { spec: { template: { ...(template as object), $patch: "replace" } } },
    revision,
  };
}
