import {
  DeletedFinalStateUnknown,
  getControllerOf,
  type KubeObject,
  type Lister,
} from "@kubekit/client";

/**
 * The owner of `obj` of kind `kind`, looked up by its controller reference
 * in `owners` and checked by uid (a re-created owner with the same name is
 * not the same owner), as upstream's resolveControllerRef.
 */
export function resolveControllerRef<T extends KubeObject>(
  obj: KubeObject,
  kind: string,
  owners: Lister<T>,
): T | undefined {
  const ref = getControllerOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  const namespace = obj.metadata?.namespace;
  const owner = namespace ? owners.namespace(namespace).get(ref.name) : owners.get(ref.name);
  return owner?.metadata?.uid === ref.uid ? owner : undefined;
}

/** `namespace/name` of an object (the workqueue key form). */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? "";
  return ns ? `${ns}/${name}` : name;
}

/** The object of a delete notification, whether or not it came as a tombstone. */
export function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
