import type { KubeObject } from "../../types/object.js";
import { get, num, str } from "../format.js";
import { age } from "../human-duration.js";
import { column, NAME_COLUMN, type RowPrinter } from "../table.js";

// When an event was last and first seen: the old-style timestamps, else the
// series or eventTime of events.k8s.io-style events.
function seen(obj: KubeObject): { last: unknown; first: unknown; count: number } {
  const last =
    str(obj, "lastTimestamp") || str(obj, "series", "lastObservedTime") || str(obj, "eventTime");
  const first = str(obj, "firstTimestamp") || str(obj, "eventTime");
  const count = num(obj, "series", "count") || num(obj, "count");
  return { last, first, count };
}

/** Events: Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name. */
export const eventPrinter: RowPrinter = {
  columns: [
    column("Last Seen", "string", "When the event was last seen."),
    column("Type", "string", "Normal or Warning."),
    column("Reason", "string", "Why the event happened."),
    column("Object", "string", "The object the event is about."),
    column("Subobject", "string", "The part of the object it is about.", 1),
    column("Source", "string", "Who reported it.", 1),
    column("Message", "string", "What happened."),
    column("First Seen", "string", "When it was first seen.", 1),
    column("Count", "string", "How often it happened.", 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells: (obj, now) => {
    const { last, first, count } = seen(obj);
    const lastSeen = age(last, now);
    const firstSeen = age(first, now);
    const lastCell = count > 1 ? `${lastSeen} (x${count} over ${firstSeen})` : lastSeen;
    const involved = get(obj, "involvedObject") ?? get(obj, "regarding");
    const component = str(obj, "source", "component") || str(obj, "reportingComponent");
    const host = str(obj, "source", "host");
    return [
      lastCell,
      str(obj, "type"),
      str(obj, "reason"),
      `${str(involved, "kind").toLowerCase()}/${str(involved, "name")}`,
      str(involved, "fieldPath"),
      host ? `${component}, ${host}` : component,
      (str(obj, "message") || str(obj, "note")).trim(),
      firstSeen,
      String(count || 1),
      obj.metadata?.name ?? "",
    ];
  },
};
