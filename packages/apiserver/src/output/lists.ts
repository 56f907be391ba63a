import type { ResourceDefinition } from "../registry/resource.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";

/** metav1.ListMeta. */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list response: `PodList`, `DeploymentList`, `PartialObjectMetadataList`. */
export interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: ListMeta;
  items: KubeObject[];
}

function listMeta(meta: ListMeta): ListMeta {
  const out: ListMeta = {};
  if (meta.resourceVersion !== undefined) out.resourceVersion = meta.resourceVersion;
  if (meta.continue) out.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}

/**
 * The list of a resource as a GET without a name answers it: `<Kind>List`
 * with each item's apiVersion and kind filled in (storage may keep them
 * bare), and the list's resourceVersion and continue token.
 */
export function toList(
  def: Pick<ResourceDefinition, "group" | "version" | "kind" | "listKind">,
  items: readonly KubeObject[],
  meta: ListMeta,
): KubeList {
  const apiVersion = groupVersionString(def.group, def.version);
  return {
    kind: def.listKind,
    apiVersion,
    metadata: listMeta(meta),
    items: items.map((item) => ({ ...item, apiVersion, kind: def.kind })),
  };
}

/**
 * The metadata-only form of an object, for clients that ask for
 * `as=PartialObjectMetadata` (the garbage collector, metadata informers).
 */
export function toPartialObjectMetadata(
  obj: KubeObject,
  version: "v1" | "v1beta1" = "v1",
): KubeObject {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: obj.metadata ?? {},
  };
}

/** The metadata-only form of a list (`as=PartialObjectMetadataList`). */
export function toPartialObjectMetadataList(
  items: readonly KubeObject[],
  meta: ListMeta,
  version: "v1" | "v1beta1" = "v1",
): KubeList {
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta(meta),
    items: items.map((item) => toPartialObjectMetadata(item, version)),
  };
}
