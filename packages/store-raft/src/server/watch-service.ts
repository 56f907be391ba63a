import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import {
  type Event,
  Event_EventType,
  EventSchema,
  type Watch,
  type WatchCreateRequest,
  WatchCreateRequest_FilterType,
  type WatchRequest,
  type WatchResponse,
  WatchResponseSchema,
} from "@kubekit/proto/etcd";
import { header, toPbKeyValue } from "../kv/convert.js";
import type { MvccEvent } from "../mvcc/types.js";
import { AsyncQueue } from "./async-queue.js";
import { fillHeader, type ServerContext } from "./context.js";

/** The watch ID etcd uses for responses that belong to no watcher (progress). */
const NO_WATCH_ID = -1n;

function toPbEvent(event: MvccEvent): Event {
  return create(EventSchema, {
    type: event.type === "put" ? Event_EventType.PUT : Event_EventType.DELETE,
    kv: toPbKeyValue(event.kv),
    ...(event.prevKv === undefined ? {} : { prevKv: toPbKeyValue(event.prevKv) }),
  });
}

/**
 * etcd's Watch service: many watchers multiplexed on one bidirectional
 * stream, each with its own ID, history replay from a start revision,
 * filters, prev_kv, cancel, progress requests and progress notifications.
 */
export function createWatchService(context: ServerContext): ServiceImpl<typeof Watch> {
  return {
    async *watch(requests: AsyncIterable<WatchRequest>, handler: HandlerContext) {
      const stream = new WatchStream(context);
      // Requests are read concurrently with sending responses; a client that
      // stops sending keeps its watchers until it ends the call, as with etcd.
      void (async () => {
        try {
          for await (const request of requests) stream.handle(request);
        } catch (error) {
          if (!handler.signal.aborted) stream.responses.fail(error);
        }
      })();
      const onAbort = () => stream.responses.close();
      handler.signal.addEventListener("abort", onAbort);
      try {
        yield* stream.responses;
      } finally {
        handler.signal.removeEventListener("abort", onAbort);
        stream.close();
      }
    },
  };
}

class WatchStream {
  readonly responses = new AsyncQueue<WatchResponse>();
  /** Client-visible watch ID → hub watcher ID. */
  private readonly watchers = new Map<bigint, { hubId: number; progressTimer?: NodeJS.Timeout }>();
  private nextWatchId = 0n;

  constructor(private readonly context: ServerContext) {}

  handle(request: WatchRequest): void {
    const r = request.requestUnion;
    if (r.case === "createRequest") this.create(r.value);
    else if (r.case === "cancelRequest") this.cancel(r.value.watchId);
    else if (r.case === "progressRequest") this.send({ watchId: NO_WATCH_ID });
  }

  close(): void {
    for (const id of [...this.watchers.keys()]) this.drop(id);
    this.responses.close();
  }

  private create(request: WatchCreateRequest): void {
    let watchId = request.watchId;
    if (watchId === 0n) {
      while (this.watchers.has(this.nextWatchId)) this.nextWatchId++;
      watchId = this.nextWatchId++;
    } else if (this.watchers.has(watchId)) {
      this.send({
        watchId,
        created: true,
        canceled: true,
        cancelReason: "mvcc: duplicate watch ID provided on the WatchStream",
      });
      return;
    }
    const spec = {
      key: request.key,
      rangeEnd: request.rangeEnd,
      startRevision: Number(request.startRevision),
      noPut: request.filters.includes(WatchCreateRequest_FilterType.NOPUT),
      noDelete: request.filters.includes(WatchCreateRequest_FilterType.NODELETE),
      prevKv: request.prevKv,
    };
    // Reserve the ID before the hub may call back.
    const entry: { hubId: number; progressTimer?: NodeJS.Timeout } = { hubId: 0 };
    this.watchers.set(watchId, entry);
    const { id, start } = this.context.watchHub.add(spec, (events, revision) =>
      this.send({ watchId, events: events.map(toPbEvent) }, revision),
    );
    this.send({ watchId, created: true });
    if (!start.ok) {
      this.watchers.delete(watchId);
      this.send({ watchId, compactRevision: BigInt(start.compactRevision), canceled: true });
      return;
    }
    entry.hubId = id;
    if (start.replay.length > 0) this.send({ watchId, events: start.replay.map(toPbEvent) });
    if (request.progressNotify) {
      entry.progressTimer = setInterval(
        () => this.send({ watchId }),
        this.context.progressNotifyIntervalMs,
      );
      entry.progressTimer.unref();
    }
  }

  private cancel(watchId: bigint): void {
    if (!this.drop(watchId)) return;
    this.send({ watchId, canceled: true });
  }

  private drop(watchId: bigint): boolean {
    const entry = this.watchers.get(watchId);
    if (entry === undefined) return false;
    this.watchers.delete(watchId);
    if (entry.progressTimer !== undefined) clearInterval(entry.progressTimer);
    this.context.watchHub.remove(entry.hubId);
    return true;
  }

  private send(
    fields: Omit<Partial<WatchResponse>, "header" | "$typeName">,
    revision = this.context.stateMachine.mvcc.currentRevision,
  ): void {
    this.responses.push(
      create(WatchResponseSchema, {
        ...fields,
        header: fillHeader(this.context, header(revision)),
      }),
    );
  }
}
