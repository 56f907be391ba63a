import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { Event_EventType, Watch, type WatchRequestSchema } from "@kubekit/proto/etcd";
import type { StoredChange } from "../watch/filter.js";
import { bytesText, keyBytes, prefixRangeEnd } from "./etcd-keys.js";
import { decodeObject } from "./object-store.js";

/** What a storage watch yields: changes in order, or the end of the watch because history is gone. */
export type StorageWatchItem =
  | { type: "change"; change: StoredChange; key: string }
  /** The start revision was compacted: the client must list again (410). */
  | { type: "expired"; compactRevision: string }
  /**
   * etcd's progress notification: everything up to `revision` has been
   * sent. `requested` marks the answer to a progress request (watch ID -1),
   * as opposed to a periodic notification.
   */
  | { type: "progress"; revision: string; requested: boolean };

/** What to watch. */
export interface StorageWatchRequest {
  /** Key prefix, ending in `/`. */
  prefix: string;
  /** First revision to report (a resourceVersion plus one). */
  startRevision: bigint;
  /** Ends the watch. */
  signal: AbortSignal;
}

type WatchRequestInit = MessageInitShape<typeof WatchRequestSchema>;

// The request side of etcd's bidirectional Watch stream: one create
// request, then a progress request whenever one is asked for, until the
// watch ends (closing the request side would end the stream).
function requestSide(create: WatchRequestInit, signal: AbortSignal) {
  let wake: (() => void) | undefined;
  let progressWanted = false;
  const onAbort = () => wake?.();
  async function* requests(): AsyncGenerator<WatchRequestInit> {
    yield create;
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (progressWanted) {
          progressWanted = false;
          yield { requestUnion: { case: "progressRequest", value: {} } };
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
  return {
    requests: requests(),
    requestProgress() {
      progressWanted = true;
      wake?.();
    },
  };
}

/** A prefix watch that can also ask etcd for a progress notification. */
export interface PrefixWatch {
  /** The watch's items, in order. */
  readonly items: AsyncIterable<StorageWatchItem>;
  /**
   * Asks etcd for a progress notification (WatchProgressRequest): an item
   * `{ type: "progress", requested: true }` with the store's revision.
   */
  requestProgress(): void;
}

/**
 * Watches every key under a prefix from a revision, over etcd's Watch
 * service, with each event's previous value so that deletions and
 * selector changes can be told apart. Ends when the signal aborts, or
 * after an `expired` item when etcd has compacted the start revision.
 */
export function watchPrefix(
  transport: Transport,
  request: StorageWatchRequest,
): AsyncIterable<StorageWatchItem> {
  return openPrefixWatch(transport, request).items;
}

/** {@link watchPrefix}, with progress requests. */
export function openPrefixWatch(transport: Transport, request: StorageWatchRequest): PrefixWatch {
  const client: Client<typeof Watch> = createClient(Watch, transport);
  let requestProgress = () => {};
  const items: AsyncIterable<StorageWatchItem> = {
    async *[Symbol.asyncIterator]() {
      const create: WatchRequestInit = {
        requestUnion: {
          case: "createRequest",
          value: {
            key: keyBytes(request.prefix),
            rangeEnd: prefixRangeEnd(request.prefix),
            startRevision: request.startRevision,
            prevKv: true,
            progressNotify: true,
          },
        },
      };
      const side = requestSide(create, request.signal);
      requestProgress = side.requestProgress;
      const responses = client.watch(side.requests, { signal: request.signal });
      try {
        for await (const res of responses) {
          if (res.compactRevision > 0n) {
            yield { type: "expired", compactRevision: res.compactRevision.toString() };
            return;
          }
          if (res.canceled) return;
          if (res.created) continue;
          if (res.events.length === 0) {
            yield {
              type: "progress",
              revision: (res.header?.revision ?? 0n).toString(),
              requested: res.watchId === -1n,
            };
            continue;
          }
          for (const event of res.events) {
            const kv = event.kv;
            if (!kv) continue;
            const key = bytesText(kv.key);
            const prev =
              event.prevKv && event.prevKv.value.length > 0
                ? decodeObject(event.prevKv)
                : undefined;
            const change: StoredChange =
              event.type === Event_EventType.DELETE
                ? { resourceVersion: kv.modRevision.toString(), ...(prev ? { prev } : {}) }
                : {
                    resourceVersion: kv.modRevision.toString(),
                    next: decodeObject(kv),
                    ...(prev ? { prev } : {}),
                  };
            yield { type: "change", change, key };
          }
        }
      } catch (error) {
        // Aborting the signal ends the stream with an error; that is the normal end.
        if (request.signal.aborted) return;
        throw error;
      }
    },
  };
  return { items, requestProgress: () => requestProgress() };
}
