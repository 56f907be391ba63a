import type { ResourceDefinition } from "../registry/resource.js";
import type { TypeDescription, TypeTable } from "./type-description.js";
import { CLUSTER_TYPES } from "./types/cluster.js";
import { CORE_TYPES, kindType } from "./types/core.js";
import { POD_TYPES } from "./types/core-pod.js";
import { META_TYPES } from "./types/meta.js";
import { WORKLOAD_TYPES } from "./types/workloads.js";

/** Every described built-in type, by short name. */
export const BUILTIN_TYPES: TypeTable = {
  ...META_TYPES,
  ...POD_TYPES,
  ...CORE_TYPES,
  ...WORKLOAD_TYPES,
  ...CLUSTER_TYPES,
};

/** The Go package segment upstream names a group's types by: `rbac.authorization.k8s.io` → `rbac`. */
export function packageOfGroup(group: string): string {
  if (group === "") return "core";
  return group.split(".")[0]!;
}

/** The short type name of a built-in resource's kind: `apps.v1.Deployment`. */
export function kindTypeName(def: Pick<ResourceDefinition, "group" | "version" | "kind">): string {
  return `${packageOfGroup(def.group)}.${def.version}.${def.kind}`;
}

/**
 * The description of a built-in kind: the hand-kept one, or, for kinds
 * not described, an open object with the standard fields so it still has
 * a schema (any other field is accepted).
 */
export function describeKind(
  def: Pick<ResourceDefinition, "group" | "version" | "kind">,
): TypeDescription {
  return (
    BUILTIN_TYPES[kindTypeName(def)] ??
    kindType(`${def.kind}: its fields are not described here.`, {}, true)
  );
}
