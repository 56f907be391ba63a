import { DeletedFinalStateUnknown, type KubeObject } from "@kubekit/client";

/** The object an informer's onDelete carries, whether it was seen deleted or only missed on re-list. */
export function unwrapTombstone<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
