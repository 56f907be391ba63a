import type { KubeObject, ResourceEventHandler } from "@kubekit/client";
import type { ControllerExpectations } from "./expectations.js";
import { unwrapTombstone } from "./tombstone.js";

/**
 * Informer handlers for the pods of a workload that counts its creations
 * and deletions in `expectations`: a pod added is a creation observed, a
 * pod that gets a deletionTimestamp (or goes without one) a deletion
 * observed, and any change of a pod enqueues its owner. `ownerKeyOf`
 * names the owner's key, undefined for pods of others.
 */
export function podExpectationHandlers<T extends KubeObject>(
  expectations: ControllerExpectations,
  ownerKeyOf: (pod: T) => string | undefined,
  enqueue: (key: string) => void,
): ResourceEventHandler<T> {
  return {
    onAdd: (p) => {
      const key = ownerKeyOf(p);
      if (!key) return;
      expectations.creationObserved(key);
      enqueue(key);
    },
    onUpdate: (o, p) => {
      const key = ownerKeyOf(p);
      if (!key) return;
      if (!o.metadata?.deletionTimestamp && p.metadata?.deletionTimestamp)
        expectations.deletionObserved(key);
      enqueue(key);
    },
    onDelete: (d) => {
      const p = unwrapTombstone(d);
      const key = ownerKeyOf(p);
      if (!key) return;
      if (!p.metadata?.deletionTimestamp) expectations.deletionObserved(key);
      enqueue(key);
    },
  };
}
