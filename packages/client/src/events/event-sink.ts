import type { ResourceClient } from "../rest/resource-client.js";
import type { CoreEvent, EventSink } from "./types.js";

/** An {@link EventSink} writing to the apiserver through the REST client for core/v1 events. */
export function eventSinkFor(events: ResourceClient<CoreEvent>): EventSink {
  return {
    create: (event) => events.namespace(event.metadata?.namespace ?? "default").create(event),
    patch: (event, patch) =>
      events
        .namespace(event.metadata?.namespace ?? "default")
        .patch(event.metadata?.name ?? "", "merge", patch),
  };
}
