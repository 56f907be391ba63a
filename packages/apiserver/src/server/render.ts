import { notAcceptable } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import {
  type ListMeta,
  toList,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
} from "../output/lists.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { negotiateOutput, PRODUCED_MEDIA_TYPES } from "../request/media-type.js";
import { toTable } from "../table/convert.js";
import type { IncludeObject } from "../table/table.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";

function includeObject(query: URLSearchParams): IncludeObject | undefined {
  const v = query.get("includeObject");
  return v === "None" || v === "Metadata" || v === "Object" ? v : undefined;
}

/** Fills in apiVersion and kind, which storage keeps but a client may have left out. */
export function typed(def: ResourceDefinition, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: groupVersionString(def.group, def.version), kind: def.kind };
}

/**
 * Renders objects the way the request's Accept header asks: the object
 * (or `<Kind>List` for a list), a Table, or PartialObjectMetadata.
 * Returns the 406 Status when no acceptable form is offered.
 */
export function render(
  def: ResourceDefinition,
  objects: readonly KubeObject[],
  asList: boolean,
  meta: ListMeta,
  accept: string | undefined,
  query: URLSearchParams,
  now: Date,
): { ok: true; body: unknown } | { ok: false; status: Status } {
  const output = negotiateOutput(accept);
  if (!output || output.kind === "aggregated-discovery")
    return { ok: false, status: notAcceptable(PRODUCED_MEDIA_TYPES) };
  const typedObjects = objects.map((o) => typed(def, o));
  switch (output.kind) {
    case "object":
      return { ok: true, body: asList ? toList(def, typedObjects, meta) : typedObjects[0] };
    case "table": {
      const include = includeObject(query);
      return {
        ok: true,
        body: toTable(def, typedObjects, {
          now,
          ...(include ? { includeObject: include } : {}),
          ...(meta.resourceVersion !== undefined ? { resourceVersion: meta.resourceVersion } : {}),
          ...(meta.continue ? { continue: meta.continue } : {}),
        }),
      };
    }
    case "partial-object-metadata":
      return {
        ok: true,
        body: asList
          ? toPartialObjectMetadataList(typedObjects, meta, output.version)
          : toPartialObjectMetadata(typedObjects[0]!, output.version),
      };
  }
}
