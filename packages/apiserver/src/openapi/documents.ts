import { createHash } from "node:crypto";
import type { ResourceDefinition } from "../registry/resource.js";
import type { ResourceIndex } from "../registry/resource-index.js";
import { BUILTIN_TYPES, describeKind, kindTypeName } from "./builtin-types.js";
import { customResourceSchema, customResourceSchemaName } from "./custom-resource-schema.js";
import { resourcePaths } from "./paths.js";
import { type OpenApiFlavour, type OpenApiSchema, schemasFor } from "./schemas.js";
import { definitionName } from "./type-description.js";

const INFO = { title: "Kubernetes", version: "v1.32.0" };

// Definitions every document carries, whatever its kinds refer to.
const ALWAYS = ["meta.v1.ObjectMeta", "meta.v1.ListMeta", "meta.v1.Status"];
const PATCH_SCHEMA: OpenApiSchema = {
  description: "A patch body; its form depends on the Content-Type.",
  type: "object",
};

function definitionsOf(
  flavour: OpenApiFlavour,
  defs: readonly ResourceDefinition[],
): Record<string, OpenApiSchema> {
  const builtins = defs.filter((d) => !d.custom);
  const roots = [
    ...builtins.map((d) => ({
      short: kindTypeName(d),
      desc: describeKind(d),
      gvks: [{ group: d.group, version: d.version, kind: d.kind }],
    })),
    ...ALWAYS.map((short) => ({ short, desc: BUILTIN_TYPES[short]!, gvks: [] })),
  ];
  const out = schemasFor(flavour, BUILTIN_TYPES, roots);
  out["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = PATCH_SCHEMA;
  for (const d of defs.filter((d) => d.custom))
    out[customResourceSchemaName(d)] = customResourceSchema(flavour, d);
  return out;
}

const schemaNameOf = (d: ResourceDefinition) =>
  d.custom ? customResourceSchemaName(d) : definitionName(kindTypeName(d));

/** The key of a group/version in the v3 index: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

/** One /openapi/v3 group/version document and its hash. */
export interface V3Document {
  body: string;
  hash: string;
}

/** Every OpenAPI document the server serves for one set of resources. */
export interface OpenApiDocuments {
  /** `/openapi/v2`, serialized. */
  v2: string;
  /** `/openapi/v3`: the index of group/version documents. */
  v3Index: { paths: Record<string, { serverRelativeURL: string }> };
  /** `/openapi/v3/<key>` by key (`apis/apps/v1`). */
  v3: Map<string, V3Document>;
}

/** The v3 document of one group/version. */
export function groupVersionDocument(defs: readonly ResourceDefinition[]): OpenApiSchema {
  const paths: OpenApiSchema = {};
  for (const d of defs) Object.assign(paths, resourcePaths(d, schemaNameOf(d)));
  return {
    openapi: "3.0.0",
    info: INFO,
    paths,
    components: { schemas: definitionsOf("v3", defs) },
  };
}

/**
 * Builds the OpenAPI v2 document and the v3 index and group/version
 * documents for the resources of an index: the built-in kinds from their
 * hand-kept descriptions, custom resources from their CRDs' schemas.
 */
export function buildOpenApiDocuments(index: ResourceIndex): OpenApiDocuments {
  const v3 = new Map<string, V3Document>();
  const indexPaths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, versions } of index.groups()) {
    for (const version of versions) {
      const defs = index.all.filter((d) => d.group === group && d.version === version);
      const body = JSON.stringify(groupVersionDocument(defs));
      const hash = createHash("sha512").update(body).digest("hex").toUpperCase();
      const key = groupVersionPath(group, version);
      v3.set(key, { body, hash });
      indexPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
  }
  const v2 = JSON.stringify({
    swagger: "2.0",
    info: INFO,
    paths: {},
    definitions: definitionsOf("v2", index.all),
  });
  return { v2, v3Index: { paths: indexPaths }, v3 };
}

const cache = new WeakMap<ResourceIndex, OpenApiDocuments>();

/** The documents of an index, built once per index (a new index comes with every CRD change). */
export function openApiDocumentsFor(index: ResourceIndex): OpenApiDocuments {
  let docs = cache.get(index);
  if (!docs) {
    docs = buildOpenApiDocuments(index);
    cache.set(index, docs);
  }
  return docs;
}
