import type { ResourceDefinition } from "../registry/resource.js";
import type { OpenApiFlavour, OpenApiSchema } from "./schemas.js";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/** The definition name upstream gives a custom kind: the group reversed, `com.example.v1.Widget`. */
export function customResourceSchemaName(
  def: Pick<ResourceDefinition, "group" | "version" | "kind">,
): string {
  return `${def.group.split(".").reverse().join(".")}.${def.version}.${def.kind}`;
}

/**
 * The OpenAPI schema of a custom resource: its CRD version's schema, with
 * apiVersion, kind and a reference to ObjectMeta for metadata, marked with
 * its group/version/kind.
 */
export function customResourceSchema(
  flavour: OpenApiFlavour,
  def: ResourceDefinition,
): OpenApiSchema {
  const schema = structuredClone(def.custom?.schema ?? {}) as OpenApiSchema;
  const properties = { ...((schema.properties as OpenApiSchema | undefined) ?? {}) };
  properties.apiVersion = { type: "string", description: "The versioned schema of this object." };
  properties.kind = { type: "string", description: "The kind of this object." };
  const ref =
    flavour === "v2" ? `#/definitions/${OBJECT_META}` : `#/components/schemas/${OBJECT_META}`;
  properties.metadata =
    flavour === "v2"
      ? { $ref: ref, description: "Standard object metadata." }
      : { allOf: [{ $ref: ref }], description: "Standard object metadata." };
  return {
    ...schema,
    type: "object",
    properties,
    "x-kubernetes-group-version-kind": [{ group: def.group, version: def.version, kind: def.kind }],
  };
}
