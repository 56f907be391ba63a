import type { ListOptions } from "../request/list-options.js";
import { objectFields } from "../selectors/field-sets.js";
import { deepCopy, type KubeObject } from "../types/object.js";
import type { WatchEvent } from "./watch-event.js";

/** A change in storage: the object before (absent on create) and after (absent on delete). */
export interface StoredChange {
  prev?: KubeObject;
  next?: KubeObject;
  /** The resourceVersion of the change. */
  resourceVersion: string;
}

/** Whether an object passes a list or watch's namespace and selectors. */
export type ObjectPredicate = (obj: KubeObject) => boolean;

/** The predicate of a list/watch request on a resource, optionally inside one namespace. */
export function listPredicate(
  resource: { group: string; resource: string },
  options: Pick<ListOptions, "labelSelector" | "fieldSelector">,
  namespace = "",
): ObjectPredicate {
  return (obj) => {
    if (namespace !== "" && obj.metadata?.namespace !== namespace) return false;
    if (!options.labelSelector.matches(obj.metadata?.labels)) return false;
    if (options.fieldSelector.empty()) return true;
    return options.fieldSelector.matches(objectFields(resource.group, resource.resource, obj));
  };
}

function withVersion(obj: KubeObject, resourceVersion: string): KubeObject {
  const copy = deepCopy(obj);
  copy.metadata = { ...copy.metadata, resourceVersion };
  return copy;
}

/**
 * The event a watcher with this predicate sees for a change, as upstream's
 * watch cache decides: an object that starts matching is ADDED, one that
 * keeps matching is MODIFIED, and one that stops matching (or is deleted)
 * is DELETED, carrying its last matching state at the change's
 * resourceVersion. Changes the watcher cannot see give no event.
 */
export function watchEventFor(
  change: StoredChange,
  matches: ObjectPredicate,
): WatchEvent | undefined {
  const nowMatches = change.next !== undefined && matches(change.next);
  const wasMatching = change.prev !== undefined && matches(change.prev);
  if (nowMatches && wasMatching) return { type: "MODIFIED", object: change.next! };
  if (nowMatches) return { type: "ADDED", object: change.next! };
  if (wasMatching)
    return { type: "DELETED", object: withVersion(change.prev!, change.resourceVersion) };
  return undefined;
}
