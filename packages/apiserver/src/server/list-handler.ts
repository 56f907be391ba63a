import { listFromCache } from "../cache/cache-list.js";
import { encodedList } from "../cache/encoded-object.js";
import { routeList } from "../cache/list-routing.js";
import { badRequest } from "../errors/builders.js";
import { storageKeyPrefix } from "../registry/storage-key.js";
import { decodeContinueToken, encodeContinueToken } from "../request/continue-token.js";
import type { ListOptions } from "../request/list-options.js";
import { negotiateOutput } from "../request/media-type.js";
import type { KubeObject } from "../types/object.js";
import { listPredicate } from "../watch/filter.js";
import { sendObject, sendStatus } from "./http-io.js";
import { render } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";

// A list with a selector reads etcd in pages until it has `limit` matches;
// each round reads at least one key, and this caps the rounds anyway.
const MAX_LIST_ROUNDS = 10_000;

/**
 * GET of a collection: every object under the resource's (and
 * namespace's) key prefix that passes the selectors, a page at a time
 * when `limit` is given, with a continue token that pins the revision.
 */
export async function handleList(
  ctx: ServerContext,
  r: ResourceRequest,
  options: ListOptions,
): Promise<void> {
  const gr = { group: r.def.group, resource: r.def.resource };
  const prefix = storageKeyPrefix(r.def, r.def.namespaced ? r.info.namespace : undefined);
  const matches = listPredicate(gr, options, r.def.namespaced ? r.info.namespace : "");
  const route = routeList(options);
  if (route.from === "cache") {
    const rc = ctx.watchCache.forPrefix(storageKeyPrefix(r.def, undefined));
    const cached = await listFromCache(rc, route, matches, () => ctx.store.revision(), prefix);
    if (cached && negotiateOutput(r.req.headers.accept)?.kind === "object") {
      // The common case, a plain list: items encoded once and kept with the cache.
      r.res.writeHead(200, {
        "Content-Type": "application/json",
        "Cache-Control": "no-cache, private",
      });
      return void r.res.end(encodedList(r.def, cached.items, String(cached.revision)));
    }
    if (cached) {
      const meta = { resourceVersion: String(cached.revision) };
      const out = render(r.def, cached.items, true, meta, r.req.headers.accept, r.query, ctx.now());
      if (!out.ok) return sendStatus(r.res, out.status);
      return sendObject(r.res, 200, out.body);
    }
  }
  let startKey = prefix;
  let revision = 0;
  if (options.continue) {
    const token = decodeContinueToken(options.continue);
    if (!token.ok) return sendStatus(r.res, token.status);
    startKey = prefix + token.token.startKey;
    revision = token.token.resourceVersion;
  } else if (options.resourceVersionMatch === "Exact" && options.resourceVersion) {
    revision = Number(options.resourceVersion);
    if (!Number.isSafeInteger(revision) || revision <= 0)
      return sendStatus(
        r.res,
        badRequest(`invalid resource version ${JSON.stringify(options.resourceVersion)}`),
      );
  }
  const limit = options.limit && options.limit > 0 ? options.limit : 0;
  const items: KubeObject[] = [];
  let nextKey: string | undefined;
  let remaining: number | undefined;
  for (let round = 0; round < MAX_LIST_ROUNDS; round++) {
    const page = await ctx.store.list({
      prefix,
      startKey,
      ...(limit ? { limit: limit - items.length } : {}),
      ...(revision ? { revision } : {}),
    });
    if (!page.ok) {
      return sendStatus(
        r.res,
        storageFailureStatus(
          page,
          gr,
          "",
          options.resourceVersion ?? "",
          Boolean(options.continue),
        ),
      );
    }
    revision = Number(page.value.revision);
    items.push(...page.value.items.filter(matches));
    nextKey = page.value.nextKey;
    remaining = page.value.remaining;
    if (!nextKey || !limit || items.length >= limit) break;
    startKey = nextKey;
  }
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: String(revision),
  };
  if (nextKey) {
    meta.continue = encodeContinueToken({
      resourceVersion: revision,
      startKey: nextKey.slice(prefix.length),
    });
    // Upstream only counts what is left when no selector filtered the list.
    if (options.labelSelector.empty() && options.fieldSelector.empty() && remaining !== undefined)
      meta.remainingItemCount = remaining;
  }
  const out = render(r.def, items, true, meta, r.req.headers.accept, r.query, ctx.now());
  if (!out.ok) return sendStatus(r.res, out.status);
  sendObject(r.res, 200, out.body);
}
