import type { KubeObject } from "../meta/types.js";

/** core/v1 ObjectReference: which object an event is about. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** core/v1 EventSource. */
export interface EventSource {
  component?: string;
  host?: string;
}

/** core/v1 Event, the fields this package writes. */
export interface CoreEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: EventType;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** An event's type. */
export type EventType = "Normal" | "Warning";

/** The fields a repeat of an event changes on the stored Event. */
export interface EventRepeatPatch {
  count: number;
  lastTimestamp: string;
  message: string;
}

/** Where recorded events go: the apiserver's events resource, or a test double. */
export interface EventSink {
  /** Creates a new Event. */
  create(event: CoreEvent): Promise<CoreEvent>;
  /** Updates count/lastTimestamp/message of an Event created earlier (merge patch by namespace/name). */
  patch(event: CoreEvent, patch: EventRepeatPatch): Promise<CoreEvent>;
}
