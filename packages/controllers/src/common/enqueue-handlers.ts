import type { KubeObject, ResourceEventHandler } from "@kubekit/client";
import { keyOf } from "./keys.js";
import { unwrapTombstone } from "./tombstone.js";

/**
 * Informer handlers that enqueue the key of every object added, changed
 * or deleted: how a controller watches the kind it reconciles.
 */
export function enqueueEveryChange<T extends KubeObject>(
  enqueue: (key: string) => void,
): ResourceEventHandler<T> {
  return {
    onAdd: (obj) => enqueue(keyOf(obj)),
    onUpdate: (_old, obj) => enqueue(keyOf(obj)),
    onDelete: (obj) => enqueue(keyOf(unwrapTombstone(obj))),
  };
}
