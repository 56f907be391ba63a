import { BufferedDelivery } from "../cache/buffered-delivery.js";
import { attachWatch } from "../cache/cache-watch.js";
import { encodedEventLine } from "../cache/encoded-event.js";
import { encodedObject } from "../cache/encoded-object.js";
import type { CachedEvent } from "../cache/event-ring.js";
import { badRequest } from "../errors/builders.js";
import { storageKeyPrefix } from "../registry/storage-key.js";
import type { ListOptions } from "../request/list-options.js";
import { negotiateOutput } from "../request/media-type.js";
import { toTable } from "../table/convert.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";
import { listPredicate, watchEventFor } from "../watch/filter.js";
import { bookmarkEvent, errorEvent, type WatchEvent } from "../watch/watch-event.js";
import { sendStatus } from "./http-io.js";
import { typed } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";

/**
 * A watch (`?watch=true` or `/watch/`): a chunked stream of
 * newline-delimited JSON events, served from the resource's watch cache
 * (one etcd watch per resource, whatever the number of clients). Without
 * a resourceVersion (or with "0") it starts with an ADDED event per
 * current object, as upstream does; with one, it replays what changed
 * after it, or ends with a 410 ERROR event when the cache no longer holds
 * that history. BOOKMARKs are sent periodically when the client allows
 * them. A client that falls too far behind is disconnected.
 */
export async function handleWatch(
  ctx: ServerContext,
  r: ResourceRequest,
  options: ListOptions,
): Promise<void> {
  const gr = { group: r.def.group, resource: r.def.resource };
  const namespace = r.def.namespaced ? r.info.namespace : "";
  const matches = listPredicate(gr, options, namespace);
  const asTable = negotiateOutput(r.req.headers.accept)?.kind === "table";
  const apiVersion = groupVersionString(r.def.group, r.def.version);
  const rvText = options.resourceVersion ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText))
    return sendStatus(r.res, badRequest(`invalid resource version ${JSON.stringify(rvText)}`));

  const line = (event: WatchEvent): string => {
    if (event.type === "ERROR" || event.type === "BOOKMARK") return `${JSON.stringify(event)}\n`;
    const obj = event.object as KubeObject;
    if (asTable) {
      const table = toTable(r.def, [typed(r.def, obj)], { now: ctx.now() });
      return `${JSON.stringify({ type: event.type, object: table })}\n`;
    }
    return `{"type":"${event.type}","object":${encodedObject(r.def, obj)}}\n`;
  };

  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  // Live events queue here until the initial ones are out.
  let sendingInitial = true;
  const delivery = new BufferedDelivery<string | Uint8Array>(
    ctx.watchCache.watcherBufferSize,
    {
      write: (text) => r.res.write(text),
      overflow: () => {
        // Upstream closes a watcher that cannot keep up; the client watches again.
        r.res.destroy();
        finish();
      },
    },
    true,
  );
  r.res.on("drain", () => {
    if (!sendingInitial) delivery.resume();
  });
  const deliver = (event: CachedEvent) => {
    const watchEvent = watchEventFor(event.change, matches);
    if (!watchEvent) return;
    delivery.push(asTable ? line(watchEvent) : encodedEventLine(r.def, event.change, watchEvent));
  };
  const rc = ctx.watchCache.forPrefix(storageKeyPrefix(r.def, undefined));
  const attached = await attachWatch(
    rc,
    {
      resourceVersion: rvText,
      matches,
      keyPrefix: storageKeyPrefix(r.def, namespace || undefined),
      ...(options.sendInitialEvents !== undefined
        ? { sendInitialEvents: options.sendInitialEvents }
        : {}),
    },
    {
      event: deliver,
      reset: () => finish(),
    },
    () => ctx.store.revision(),
  );
  if (!attached.ok && !attached.asEvent) return sendStatus(r.res, attached.status);

  const timeoutMs = options.timeoutSeconds
    ? options.timeoutSeconds * 1000
    : ctx.defaultWatchTimeoutMs;
  const timer = setTimeout(finish, timeoutMs);
  r.res.on("close", finish);
  r.res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
  });
  r.res.flushHeaders();
  if (!attached.ok) {
    clearTimeout(timer);
    r.res.end(line(errorEvent(attached.status)));
    return;
  }

  const bookmarks = options.allowWatchBookmarks
    ? setInterval(() => {
        // Every event up to the cache's confirmed revision has been queued for this watcher.
        const rv = Math.max(attached.after, rc.cache.confirmed);
        delivery.push(line(bookmarkEvent(apiVersion, r.def.kind, String(rv))));
      }, ctx.bookmarkIntervalMs)
    : undefined;
  // Initial events are not bounded by the watcher's buffer (as upstream's
  // cacheWatcher sends its init events apart): they wait for the client instead.
  const drained = () =>
    new Promise<void>((resolve) => {
      r.res.once("drain", resolve);
      void finished.then(resolve);
    });
  let done = false;
  void finished.then(() => {
    done = true;
  });
  try {
    for (const obj of attached.initial) {
      if (done) break;
      if (!r.res.write(line({ type: "ADDED", object: obj }))) await drained();
    }
    if (options.sendInitialEvents && options.allowWatchBookmarks)
      r.res.write(line(bookmarkEvent(apiVersion, r.def.kind, String(attached.after), true)));
    sendingInitial = false;
    delivery.resume();
    await finished;
  } finally {
    attached.cancel();
    delivery.stop();
    clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
    if (!r.res.destroyed) r.res.end();
  }
}
