import { isAlreadyExists, type ResourceClient } from "@kubekit/client";
import type { Node } from "./types.js";

/**
 * Registers the node: creates it, or, when a Node of that name exists
 * (a kubelet restart, or a node re-joining), adds the kubelet's labels to
 * it, leaving labels and taints others set alone. Returns the Node as the
 * API holds it (its uid is what the lease and mirror pods point at).
 */
export async function registerNode(
  nodes: ResourceClient<Node>,
  node: Node,
  signal?: AbortSignal,
): Promise<Node> {
  try {
    return await nodes.create(node, {}, signal);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const existing = await nodes.get(node.metadata.name, {}, signal);
  const labels = node.metadata.labels ?? {};
  const missing = Object.entries(labels).some(
    ([key, value]) => existing.metadata.labels?.[key] !== value,
  );
  if (!missing) return existing;
  return nodes.patch(node.metadata.name, "merge", { metadata: { labels } }, {}, signal);
}
