import type { KubeObject } from "../meta/types.js";

/** Computes the store key of an object. */
export type KeyFunc<T> = (obj: T) => string;

/**
 * What an informer hands to onDelete when it learned of a deletion only by
 * re-listing: the last state it knew, which may be stale.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    /** The store key of the deleted object. */
    readonly key: string,
    /** The last known state of the object. */
    readonly obj: T,
  ) {}
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function metaNamespaceKeyFunc(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) {
    throw new Error("object has no metadata.name, so it has no store key");
  }
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** Like {@link metaNamespaceKeyFunc}, but also accepts a {@link DeletedFinalStateUnknown}. */
export function deletionHandlingKeyFunc(
  obj: KubeObject | DeletedFinalStateUnknown<KubeObject>,
): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKeyFunc(obj);
}

/** Splits a store key into namespace (`""` for cluster-scoped) and name. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split("/");
  if (parts.length === 1) {
    return { namespace: "", name: parts[0] as string };
  }
  if (parts.length === 2 && parts[1] !== "") {
    return { namespace: parts[0] as string, name: parts[1] as string };
  }
  throw new Error(`unexpected store key format: "${key}"`);
}
