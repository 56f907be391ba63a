/**
 * How a list field of a built-in type merges: the patchMergeKey and
 * patchStrategy tags of upstream's Go types, reduced to a lookup by field
 * path. Strategic merge patch and managedFields both read it.
 */
export type ListSchema =
  /** A list of objects merged item by item, matched on `mergeKey`; `keys` are the full set of identifying fields. */
  | { type: "map"; mergeKey: string; keys: readonly string[] }
  /** A list of scalars merged as a set (metadata.finalizers). */
  | { type: "set" }
  /** Replaced whole. */
  | { type: "atomic" };

const ATOMIC: ListSchema = { type: "atomic" };
const byKey = (mergeKey: string, ...extra: string[]): ListSchema => ({
  type: "map",
  mergeKey,
  keys: [mergeKey, ...extra],
});

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

// Lists whose merge key depends only on the field's own name.
const BY_FIELD_NAME: Record<string, ListSchema> = {
  containers: byKey("name"),
  initContainers: byKey("name"),
  ephemeralContainers: byKey("name"),
  env: byKey("name"),
  volumes: byKey("name"),
  volumeMounts: byKey("mountPath"),
  volumeDevices: byKey("devicePath"),
  imagePullSecrets: byKey("name"),
  hostAliases: byKey("ip"),
  ownerReferences: byKey("uid"),
  topologySpreadConstraints: byKey("topologyKey", "whenUnsatisfiable"),
  resourceClaims: byKey("name"),
  schedulingGates: byKey("name"),
  resizePolicy: byKey("resourceName"),
  podIPs: byKey("ip"),
  hostIPs: byKey("ip"),
};

/**
 * The list schema of the field at `path` (field names from the object's
 * root, list positions left out) in an object of `kind`. Unknown lists are
 * atomic, as upstream treats lists without a patch strategy.
 */
export function listSchemaAt(kind: string, path: readonly string[]): ListSchema {
  const field = path[path.length - 1];
  if (field === undefined) return ATOMIC;
  if (path.length === 2 && path[0] === "metadata" && field === "finalizers") return { type: "set" };
  if (field === "ports") {
    if (path.length >= 2 && CONTAINER_LISTS.has(path[path.length - 2]!))
      return byKey("containerPort", "protocol");
    if (kind === "Service" && path.length === 2 && path[0] === "spec")
      return byKey("port", "protocol");
    return ATOMIC;
  }
  if (field === "conditions" && path.includes("status")) return byKey("type");
  if (field === "addresses" && kind === "Node" && path[0] === "status") return byKey("type");
  return BY_FIELD_NAME[field] ?? ATOMIC;
}
