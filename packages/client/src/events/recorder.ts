import type { Clock } from "../clock/clock.js";
import { isNotFound } from "../errors/predicates.js";
import type { KubeObject } from "../meta/types.js";
import { type CorrelatorOptions, EventCorrelator } from "./correlator.js";
import type { CoreEvent, EventSink, EventType, ObjectReference } from "./types.js";

/** Settings of an {@link EventRecorder}. */
export interface EventRecorderOptions extends CorrelatorOptions {
  sink: EventSink;
  /** The component recording (`source.component`, `reportingComponent`), e.g. `deployment-controller`. */
  component: string;
  /** The node or instance (`source.host`, `reportingInstance`). */
  host?: string;
  clock: Clock;
  /** Events waiting to be written before new ones are dropped (default 1000, as upstream). */
  maxPending?: number;
  /** Told about events that could not be written (recording never throws). */
  onError?: (err: unknown, event: CoreEvent) => void;
}

/**
 * Records core/v1 Events about objects, as client-go's recorder: fire and
 * forget, written in order in the background through an {@link EventSink},
 * with repeats folded into a count on one Event and floods throttled.
 */
export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #correlator: EventCorrelator;
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;
  #sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.#o = options;
    this.#correlator = new EventCorrelator(options);
  }

  /** Records that `reason` happened to `obj` (reason: UpperCamelCase, message: for humans). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.annotatedEvent(obj, {}, type, reason, message);
  }

  /** Like {@link event}, with annotations on the Event object. */
  annotatedEvent(
    obj: KubeObject,
    annotations: Record<string, string>,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    const now = this.#o.clock.now();
    const built = this.#build(obj, annotations, type, reason, message, now);
    const decision = this.#correlator.correlate(built, now);
    if (decision.action === "drop") {
      return;
    }
    if (this.#pending >= (this.#o.maxPending ?? 1000)) {
      this.#o.onError?.(new Error("event queue full; event dropped"), decision.event);
      return;
    }
    this.#pending++;
    this.#chain = this.#chain.then(async () => {
      try {
        if (decision.action === "create") {
          await this.#o.sink.create(decision.event);
        } else {
          await this.#patchOrRecreate(decision.event, decision.patch);
        }
      } catch (err) {
        this.#o.onError?.(err, decision.event);
      } finally {
        this.#pending--;
      }
    });
  }

  /** Resolves once every event recorded so far has been written (or has failed). */
  flush(): Promise<void> {
    return this.#chain;
  }

  async #patchOrRecreate(
    event: CoreEvent,
    patch: Parameters<EventSink["patch"]>[1],
  ): Promise<void> {
    try {
      await this.#o.sink.patch(event, patch);
    } catch (err) {
      // The earlier Event expired (events have a TTL); write the repeat as a new one.
      if (!isNotFound(err)) {
        throw err;
      }
      const { resourceVersion: _dropped, ...metadata } = event.metadata ?? {};
      await this.#o.sink.create({ ...event, metadata });
    }
  }

  #build(
    obj: KubeObject,
    annotations: Record<string, string>,
    type: EventType,
    reason: string,
    message: string,
    now: number,
  ): CoreEvent {
    const involvedObject = referenceTo(obj);
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
    // Unique and sortable per object: creation time in ns, plus a counter within the ms.
    const uniq = (BigInt(now) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000)).toString(16);
    const source = {
      component: this.#o.component,
      ...(this.#o.host ? { host: this.#o.host } : {}),
    };
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        name: `${involvedObject.name ?? "unknown"}.${uniq}`,
        namespace: involvedObject.namespace || "default",
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      involvedObject,
      reason,
      message,
      source,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      type,
      reportingComponent: this.#o.component,
      reportingInstance: this.#o.host ?? "",
    };
  }
}

/** An ObjectReference to `obj` (from its apiVersion, kind and metadata). */
export function referenceTo(obj: KubeObject): ObjectReference {
  const meta = obj.metadata ?? {};
  const ref: ObjectReference = {};
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (obj.kind) ref.kind = obj.kind;
  if (meta.namespace) ref.namespace = meta.namespace;
  if (meta.name) ref.name = meta.name;
  if (meta.uid) ref.uid = meta.uid;
  if (meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
  return ref;
}
