import type { KubeObject, OwnerReference } from "./types.js";

/** The owner reference marked `controller: true`, if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/** True when `owner` (by uid) is the controller of `obj`. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = getControllerOf(obj);
  return ref !== undefined && owner.metadata?.uid !== undefined && ref.uid === owner.metadata.uid;
}

/**
 * An owner reference making `owner` the controller of a dependent, with
 * blockOwnerDeletion so foreground deletion waits for the dependent.
 * `owner` must carry apiVersion, kind, name and uid.
 */
export function newControllerRef(owner: KubeObject): OwnerReference {
  const { apiVersion, kind } = owner;
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!apiVersion || !kind || !name || !uid) {
    throw new Error(
      "newControllerRef: owner needs apiVersion, kind, metadata.name and metadata.uid",
    );
  }
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}
