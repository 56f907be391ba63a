import type { ResourceDefinition } from "../registry/resource.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";

// The JSON of each cached object with its apiVersion and kind, made once
// however many watch events and list responses carry it (upstream's
// cachingObject does the same). Cached objects are never changed in place:
// a change is a new object, so the entry goes with the old one.
const encoded = new WeakMap<KubeObject, string>();

/** `JSON.stringify` of the object as responses show it (`typed`), remembered per object. */
export function encodedObject(def: ResourceDefinition, obj: KubeObject): string {
  let json = encoded.get(obj);
  if (json === undefined) {
    json = JSON.stringify({
      ...obj,
      apiVersion: groupVersionString(def.group, def.version),
      kind: def.kind,
    });
    encoded.set(obj, json);
  }
  return json;
}

/**
 * A `<Kind>List` as JSON text from cached objects, byte for byte what
 * `JSON.stringify(toList(...))` gives, without encoding each item again.
 */
export function encodedList(
  def: ResourceDefinition,
  items: readonly KubeObject[],
  resourceVersion: string,
): string {
  const head = JSON.stringify({
    kind: def.listKind,
    apiVersion: groupVersionString(def.group, def.version),
    metadata: { resourceVersion },
  });
  return `${head.slice(0, -1)},"items":[${items.map((o) => encodedObject(def, o)).join(",")}]}`;
}
