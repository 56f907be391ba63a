import type { ResourceDefinition } from "../registry/resource.js";
import type { OpenApiSchema } from "./schemas.js";

/** The Content-Types a PATCH accepts: no strategic merge patch for custom resources, as upstream. */
export function patchContentTypes(def: Pick<ResourceDefinition, "custom">): string[] {
  const types = [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
  ];
  return def.custom ? types.filter((t) => !t.includes("strategic")) : types;
}

const query = (name: string, description: string, type = "string"): OpenApiSchema => ({
  name,
  in: "query",
  description,
  schema: { type, uniqueItems: true },
});
const pathParam = (name: string, description: string): OpenApiSchema => ({
  name,
  in: "path",
  description,
  required: true,
  schema: { type: "string", uniqueItems: true },
});

const WRITE_PARAMS = [
  query("dryRun", "When set to All, the request is checked but nothing is stored."),
  query("fieldManager", "The name of the actor making the change, for managedFields."),
  query(
    "fieldValidation",
    "What to do about unknown fields in the body: Ignore, Warn (the default) or Strict.",
  ),
];

/**
 * The v3 paths of one resource: its collection (list, create) and one
 * object (get, replace, patch, delete), each operation marked with the
 * kind it acts on. kubectl reads the PATCH operation to see whether the
 * server does field validation and strategic merge patch for a kind.
 */
export function resourcePaths(
  def: ResourceDefinition,
  schemaName: string,
): Record<string, OpenApiSchema> {
  const base = def.group === "" ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
  const collection = def.namespaced
    ? `${base}/namespaces/{namespace}/${def.resource}`
    : `${base}/${def.resource}`;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ref = { $ref: `#/components/schemas/${schemaName}` };
  const json = { "application/json": { schema: ref } };
  const opId = (verb: string) => `${verb}${def.namespaced ? "Namespaced" : ""}${def.kind}`;
  const op = (action: string, verb: string, description: string, extra: OpenApiSchema = {}) => ({
    description,
    operationId: opId(verb),
    responses: {
      "200": { description: "OK", content: json },
      "401": { description: "Unauthorized" },
    },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    ...extra,
  });
  const scope = def.namespaced ? [pathParam("namespace", "The object's namespace.")] : [];
  const named = [pathParam("name", `The ${def.singular}'s name.`), ...scope];
  return {
    [collection]: {
      get: op("list", "list", `list or watch ${def.resource}`),
      post: op("post", "create", `create a ${def.kind}`, {
        requestBody: { content: json, required: true },
        parameters: WRITE_PARAMS,
      }),
      parameters: scope,
    },
    [`${collection}/{name}`]: {
      get: op("get", "read", `read the named ${def.kind}`),
      put: op("put", "replace", `replace the named ${def.kind}`, {
        requestBody: { content: json, required: true },
        parameters: WRITE_PARAMS,
      }),
      patch: op("patch", "patch", `partially update the named ${def.kind}`, {
        requestBody: {
          content: Object.fromEntries(
            patchContentTypes(def).map((t) => [
              t,
              {
                schema: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch" },
              },
            ]),
          ),
          required: true,
        },
        parameters: [
          ...WRITE_PARAMS,
          query("force", "Take over conflicting fields (apply only).", "boolean"),
        ],
      }),
      delete: op("delete", "delete", `delete a ${def.kind}`),
      parameters: named,
    },
  };
}
