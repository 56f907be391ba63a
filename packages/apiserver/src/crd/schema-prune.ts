import { isRecord } from "../types/object.js";
import { additionalSchema, type JSONSchemaProps } from "./json-schema.js";

/** The fields of metav1.ObjectMeta: what survives pruning of `metadata`. */
const OBJECT_META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

const child = (path: string, name: string) => (path === "" ? name : `${path}.${name}`);

function pruneMetadata(meta: unknown, path: string, pruned: string[]): void {
  if (!isRecord(meta)) return;
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      delete meta[key];
      pruned.push(child(path, key));
    }
  }
}

function pruneValue(
  schema: JSONSchemaProps | undefined,
  value: unknown,
  path: string,
  pruned: string[],
): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      pruneValue(schema.items, item, `${path}[${i}]`, pruned);
    });
    return;
  }
  if (!isRecord(value)) return;
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  for (const key of Object.keys(value)) {
    if (embedded && (key === "apiVersion" || key === "kind")) continue;
    if (embedded && key === "metadata") {
      pruneMetadata(value[key], child(path, key), pruned);
      continue;
    }
    const sub = Object.hasOwn(props, key) ? props[key] : extra;
    if (sub) pruneValue(sub, value[key], child(path, key), pruned);
    else if (!preserve && schema.additionalProperties !== true) {
      delete value[key];
      pruned.push(child(path, key));
    }
  }
}

/**
 * Drops, in place, every field the schema does not specify (unless a
 * schema node preserves unknown fields), as upstream prunes custom
 * resources before storing them. apiVersion and kind always stay, and
 * metadata keeps exactly the ObjectMeta fields. Returns the paths of the
 * fields dropped, for strict field validation (`unknown field "spec.foo"`).
 */
export function pruneCustomResource(
  schema: JSONSchemaProps,
  obj: Record<string, unknown>,
): string[] {
  const pruned: string[] = [];
  const root: JSONSchemaProps = { ...schema, "x-kubernetes-embedded-resource": true };
  pruneValue(root, obj, "", pruned);
  return pruned;
}
