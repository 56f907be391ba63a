import type { ResourceDefinition } from "../registry/resource.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";
import type { StoredChange } from "../watch/filter.js";
import type { WatchEvent } from "../watch/watch-event.js";
import { encodedObject } from "./encoded-object.js";

// One change reaches every watcher of its resource: its event line is
// encoded to bytes once per (type, apiVersion) and the same buffer is
// written to each watcher's response, instead of building and encoding
// the line again per watcher. Changes are never changed in place.
const lines = new WeakMap<StoredChange, Map<string, Uint8Array>>();

/**
 * The watch stream line (`{"type":...,"object":...}` and a newline) of an
 * ADDED, MODIFIED or DELETED event that `change` gave, as UTF-8 bytes,
 * remembered per change.
 */
export function encodedEventLine(
  def: ResourceDefinition,
  change: StoredChange,
  event: WatchEvent,
): Uint8Array {
  let byKey = lines.get(change);
  if (byKey === undefined) {
    byKey = new Map();
    lines.set(change, byKey);
  }
  const key = `${event.type} ${groupVersionString(def.group, def.version)} ${def.kind}`;
  let line = byKey.get(key);
  if (line === undefined) {
    const object = encodedObject(def, event.object as KubeObject);
    line = Buffer.from(`{"type":"${event.type}","object":${object}}\n`);
    byKey.set(key, line);
  }
  return line;
}
