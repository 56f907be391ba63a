import type { KubeObject } from "@kubekit/client";

/** `namespace/name`, the key informers and work queues use. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name}` : (obj.metadata?.name ?? "");
}
