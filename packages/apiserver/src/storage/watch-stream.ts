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
  /** etcd's progress notification: everything up to `revision` has been sent. */
  | { type: "progress"; revision: string };

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

// The request side of etcd's bidirectional Watch stream: one create request,
// then nothing until the watch ends (closing it would end the stream).
async function* createThenWait(
  create: WatchRequestInit,
  signal: AbortSignal,
): AsyncGenerator<WatchRequestInit> {
  yield create;
  if (signal.aborted) return;
  await new Promise<void>((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
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
  const client: Client<typeof Watch> = createClient(Watch, transport);
  return {
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
      const responses = client.watch(createThenWait(create, request.signal), {
        signal: request.signal,
      });
      try {
        for await (const res of responses) {
          if (res.compactRevision > 0n) {
            yield { type: "expired", compactRevision: res.compactRevision.toString() };
            return;
          }
          if (res.canceled) return;
          if (res.created) continue;
          if (res.events.length === 0) {
            yield { type: "progress", revision: (res.header?.revision ?? 0n).toString() };
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
}
