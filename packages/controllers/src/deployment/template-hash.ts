import { canonicalJson } from "../common/template-hash.js";
import type { PodTemplateSpec } from "../common/types.js";

/** The label carrying the template hash on a Deployment's ReplicaSets and pods. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

/**
 * A template without the pod-template-hash label, for comparing templates.
 * Shallow: only read, so sharing the rest with the original is safe.
 */
function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const { metadata, ...rest } = template ?? {};
  if (!metadata) return rest;
  const { labels, ...otherMetadata } = metadata;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...otherLabels } = labels ?? {};
  const copy: PodTemplateSpec = { ...rest };
  if (Object.keys(otherLabels).length > 0)
    copy.metadata = { ...otherMetadata, labels: otherLabels };
  else if (Object.keys(otherMetadata).length > 0) copy.metadata = otherMetadata;
  return copy;
}

/** Whether two templates are the same apart from the hash label (upstream's EqualIgnoreHash). */
export function equalIgnoreHash(
  a: PodTemplateSpec | undefined,
  b: PodTemplateSpec | undefined,
): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}
