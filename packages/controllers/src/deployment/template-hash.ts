import { canonicalJson } from "../common/template-hash.js";
import type { PodTemplateSpec } from "../common/types.js";

/** The label carrying the template hash on a Deployment's ReplicaSets and pods. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

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
