import type { CustomResourceInfo } from "../crd/custom-resource-info.js";

/** The verbs a resource or subresource accepts, as discovery lists them. */
export type Verb =
  | "create"
  | "delete"
  | "deletecollection"
  | "get"
  | "list"
  | "patch"
  | "update"
  | "watch";

/** A subresource such as `pods/status` or `deployments/scale`. */
export interface SubresourceDefinition {
  /** The part after the slash: `status`, `scale`, `log`. */
  name: string;
  /** The kind the subresource takes and returns. */
  kind: string;
  /** Set when that kind lives in another group/version (Scale, Eviction). */
  group?: string;
  version?: string;
  verbs: readonly Verb[];
}

/** One resource the apiserver serves: what discovery, routing and storage need to know. */
export interface ResourceDefinition {
  group: string;
  version: string;
  /** The plural, lowercase URL name: `pods`. */
  resource: string;
  kind: string;
  /** The singular, lowercase name: `pod`. */
  singular: string;
  /** The kind of the list: `PodList`. */
  listKind: string;
  namespaced: boolean;
  verbs: readonly Verb[];
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly SubresourceDefinition[];
  /** Set for resources a CustomResourceDefinition serves: its schema, subresources and columns. */
  custom?: CustomResourceInfo;
}
