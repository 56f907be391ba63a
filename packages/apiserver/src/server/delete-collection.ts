import { methodNotSupported } from "../errors/builders.js";
import { storageKey, storageKeyPrefix } from "../registry/storage-key.js";
import { parseDeleteOptions } from "../request/delete-options.js";
import { parseListOptions } from "../request/list-options.js";
import type { KubeObject } from "../types/object.js";
import { listPredicate } from "../watch/filter.js";
import { deleteObject } from "./delete-object.js";
import { decodeBody, sendObject, sendStatus } from "./http-io.js";
import { render } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";

// Objects read from etcd per round while collecting the ones to delete.
const PAGE = 500;

/**
 * DELETE of a collection (deletecollection): every object in the
 * namespace that the label and field selectors match is deleted as a
 * single DELETE would delete it (preconditions, finalizers, propagation
 * policy, graceful pods, dryRun). Answers the list of deleted objects, as
 * upstream does; objects already gone are skipped, and the first other
 * failure is the answer.
 */
export async function handleDeleteCollection(
  ctx: ServerContext,
  r: ResourceRequest,
): Promise<void> {
  const gr = { group: r.def.group, resource: r.def.resource };
  // Upstream serves deletecollection only inside a namespace for namespaced resources.
  if (r.def.namespaced && r.info.namespace === "")
    return sendStatus(r.res, methodNotSupported(gr, "deletecollection"));
  const listed = parseListOptions(r.query, gr);
  if (!listed.ok) return sendStatus(r.res, listed.status);
  let body: unknown = {};
  if (r.body.trim() !== "") {
    const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
    if (!decoded.ok) return sendStatus(r.res, decoded.status);
    body = decoded.value;
  }
  const options = parseDeleteOptions(body, r.query);
  if (!options.ok) return sendStatus(r.res, options.status);

  const namespace = r.def.namespaced ? r.info.namespace : undefined;
  const prefix = storageKeyPrefix(r.def, namespace);
  const matches = listPredicate(gr, listed.options, namespace ?? "");
  const names: string[] = [];
  let revision = 0;
  for (let startKey: string | undefined = prefix; startKey !== undefined; ) {
    const page = await ctx.store.list({
      prefix,
      startKey,
      limit: PAGE,
      ...(revision ? { revision } : {}),
    });
    if (!page.ok) return sendStatus(r.res, storageFailureStatus(page, gr, ""));
    revision = Number(page.value.revision);
    for (const obj of page.value.items) if (matches(obj)) names.push(obj.metadata?.name ?? "");
    startKey = page.value.nextKey;
  }

  const deleted: KubeObject[] = [];
  for (const name of names) {
    const outcome = await deleteObject(
      ctx,
      r.def,
      storageKey(r.def, namespace, name),
      name,
      options.options,
    );
    if (outcome.ok) deleted.push(outcome.object);
    else if (outcome.status.reason !== "NotFound") return sendStatus(r.res, outcome.status);
  }
  const out = render(
    r.def,
    deleted,
    true,
    { resourceVersion: String(await ctx.store.revision()) },
    r.req.headers.accept,
    r.query,
    ctx.now(),
  );
  if (!out.ok) return sendStatus(r.res, out.status);
  sendObject(r.res, 200, out.body);
}
