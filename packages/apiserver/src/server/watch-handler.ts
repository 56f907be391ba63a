import { badRequest, resourceExpired } from "../errors/builders.js";
import { storageKeyPrefix } from "../registry/storage-key.js";
import type { ListOptions } from "../request/list-options.js";
import { negotiateOutput } from "../request/media-type.js";
import { watchPrefix } from "../storage/watch-stream.js";
import { toTable } from "../table/convert.js";
import { groupVersionString } from "../types/group-version.js";
import type { KubeObject } from "../types/object.js";
import { listPredicate, watchEventFor } from "../watch/filter.js";
import { bookmarkEvent, errorEvent, type WatchEvent } from "../watch/watch-event.js";
import { sendStatus } from "./http-io.js";
import { typed } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";

/**
 * A watch (`?watch=true` or `/watch/`): a chunked stream of
 * newline-delimited JSON events. Without a resourceVersion (or with "0")
 * it starts with an ADDED event per current object, as upstream does;
 * with one, it replays what changed after it, or ends with a 410 ERROR
 * event when that history has been compacted. BOOKMARKs are sent
 * periodically when the client allows them.
 */
export async function handleWatch(
  ctx: ServerContext,
  r: ResourceRequest,
  options: ListOptions,
): Promise<void> {
  const gr = { group: r.def.group, resource: r.def.resource };
  const namespace = r.def.namespaced ? r.info.namespace : "";
  const prefix = storageKeyPrefix(r.def, namespace || undefined);
  const matches = listPredicate(gr, options, namespace);
  const asTable = negotiateOutput(r.req.headers.accept)?.kind === "table";
  const apiVersion = groupVersionString(r.def.group, r.def.version);

  const rvText = options.resourceVersion ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText))
    return sendStatus(r.res, badRequest(`invalid resource version ${JSON.stringify(rvText)}`));
  const initial: KubeObject[] = [];
  let startAfter: bigint;
  if (rvText === "" || rvText === "0" || options.sendInitialEvents) {
    const all = await ctx.store.list({ prefix });
    if (!all.ok) return sendStatus(r.res, storageFailureStatus(all, gr, "", rvText));
    initial.push(...all.value.items.filter(matches));
    startAfter = BigInt(all.value.revision);
  } else {
    startAfter = BigInt(rvText);
  }

  const controller = new AbortController();
  const timeoutMs = options.timeoutSeconds
    ? options.timeoutSeconds * 1000
    : ctx.defaultWatchTimeoutMs;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  r.res.on("close", () => controller.abort());
  r.res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
  });
  r.res.flushHeaders();

  let lastRevision = startAfter.toString();
  const send = (event: WatchEvent) => {
    let object = event.object;
    if (event.type !== "ERROR" && event.type !== "BOOKMARK") {
      object = typed(r.def, object as KubeObject);
      if (asTable)
        object = toTable(r.def, [object as KubeObject], {
          now: ctx.now(),
        }) as unknown as KubeObject;
    }
    r.res.write(`${JSON.stringify({ type: event.type, object })}\n`);
  };
  const bookmarks = options.allowWatchBookmarks
    ? setInterval(
        () => send(bookmarkEvent(apiVersion, r.def.kind, lastRevision)),
        ctx.bookmarkIntervalMs,
      )
    : undefined;

  try {
    for (const obj of initial) send({ type: "ADDED", object: obj });
    if (options.sendInitialEvents && options.allowWatchBookmarks)
      send(bookmarkEvent(apiVersion, r.def.kind, lastRevision, true));
    for await (const item of watchPrefix(ctx.etcdTransport, {
      prefix,
      startRevision: startAfter + 1n,
      signal: controller.signal,
    })) {
      if (item.type === "expired") {
        send(errorEvent(resourceExpired(rvText)));
        break;
      }
      if (item.type === "progress") {
        lastRevision = item.revision;
        continue;
      }
      lastRevision = item.change.resourceVersion;
      const event = watchEventFor(item.change, matches);
      if (event) send(event);
    }
  } finally {
    clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
    controller.abort();
    r.res.end();
  }
}
