import {
  getControllerOf,
  type KubeObject,
  type Lister,
  type OwnerReference,
} from "@kubekit/client";

/**
 * The controller reference `owner` puts on what it creates (pods,
 * revisions, Jobs): `controller` and `blockOwnerDeletion` set, as
 * upstream's NewControllerRef. Unlike the client's `newControllerRef` it
 * takes the kind from the caller, since objects from a typed lister may
 * lack `apiVersion` and `kind`.
 */
export function controllerRefFor(
  owner: KubeObject,
  apiVersion: string,
  kind: string,
): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The work-queue key (`namespace/name`) of the `kind` controlling `obj`,
 * by its controller reference alone (the owner may not be cached yet).
 */
export function controllerKeyOf(obj: KubeObject, kind: string): string | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
}

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
