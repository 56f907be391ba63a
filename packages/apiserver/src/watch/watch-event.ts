import type { Status } from "../errors/status.js";
import type { KubeObject } from "../types/object.js";

/** The event types of a watch stream (watch.EventType). */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One line of a watch stream: `{"type":"ADDED","object":{...}}`. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | Status;
}

/** The annotation on the bookmark that ends the initial events of a streaming list. */
export const INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";

/**
 * A BOOKMARK event: an object of the watched kind carrying only a
 * resourceVersion, so clients can resume from there. `initialEventsEnd`
 * marks the end of the initial list of a `sendInitialEvents` watch.
 */
export function bookmarkEvent(
  apiVersion: string,
  kind: string,
  resourceVersion: string,
  initialEventsEnd = false,
): WatchEvent {
  const metadata: KubeObject["metadata"] = { resourceVersion };
  if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END_ANNOTATION]: "true" };
  return { type: "BOOKMARK", object: { apiVersion, kind, metadata } };
}

/** An ERROR event carrying a Status, such as 410 Expired for a compacted resourceVersion. */
export function errorEvent(status: Status): WatchEvent {
  return { type: "ERROR", object: status };
}
