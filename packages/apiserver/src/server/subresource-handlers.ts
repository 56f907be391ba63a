import { applyPatch } from "../patch/apply-patch.js";
import { storageKey } from "../registry/storage-key.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { admitUpdate } from "../strategy/admit-write.js";
import { applyFinalize } from "../subresources/finalize.js";
import { applyScale, toScale } from "../subresources/scale.js";
import type { KubeObject } from "../types/object.js";
import { decodeBody, mediaType, sendObject, sendStatus } from "./http-io.js";
import { render } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";
import { writeContextFor } from "./write-context.js";

/** How often a subresource write is retried when another writer got there first. */
const MAX_WRITE_ATTEMPTS = 5;

const grOf = (r: ResourceRequest) => ({ group: r.def.group, resource: r.def.resource });

/**
 * Read-modify-write of the parent object for a subresource write:
 * `change` turns the stored object into the new one (or a Status), then
 * the parent's update path admits it; `answer` renders the reply.
 */
async function updateParent(
  ctx: ServerContext,
  r: ResourceRequest,
  change: (current: KubeObject) => WriteResult,
  answer: (stored: KubeObject) => void,
): Promise<void> {
  const key = storageKey(r.def, r.def.namespaced ? r.info.namespace : undefined, r.info.name);
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok) return sendStatus(r.res, storageFailureStatus(current, grOf(r), r.info.name));
    const changed = change(current.value);
    if (!changed.ok) return sendStatus(r.res, changed.status);
    const admitted = admitUpdate(
      r.def,
      changed.object,
      current.value,
      { namespace: r.info.namespace, name: r.info.name },
      writeContextFor(ctx, r),
    );
    if (!admitted.ok) return sendStatus(r.res, admitted.status);
    const rv = current.value.metadata?.resourceVersion ?? "";
    const written =
      changed.deleteNow || admitted.deleteNow
        ? await ctx.store.delete(key, rv)
        : await ctx.store.update(key, admitted.object, rv);
    if (written.ok) return answer(written.value);
    if (written.reason !== "conflict" || attempt >= MAX_WRITE_ATTEMPTS)
      return sendStatus(r.res, storageFailureStatus(written, grOf(r), r.info.name));
  }
}

/**
 * GET, PUT and PATCH of `/scale` (autoscaling/v1 Scale) on Deployments,
 * ReplicaSets, StatefulSets and ReplicationControllers: reads show the
 * parent as a Scale; writes set the parent's spec.replicas through its
 * own update path (validation, generation).
 */
export async function handleScale(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const reply = (obj: KubeObject) => sendObject(r.res, 200, toScale(obj));
  if (r.info.verb === "get") {
    const key = storageKey(r.def, r.def.namespaced ? r.info.namespace : undefined, r.info.name);
    const got = await ctx.store.get(key);
    if (!got.ok) return sendStatus(r.res, storageFailureStatus(got, grOf(r), r.info.name));
    return reply(got.value);
  }
  if (r.info.verb === "update") {
    const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
    if (!decoded.ok) return sendStatus(r.res, decoded.status);
    return updateParent(ctx, r, (current) => applyScale(r.def, current, decoded.value), reply);
  }
  // PATCH: the patch applies to the Scale view, which is then written like a PUT.
  const type = mediaType(r.req.headers["content-type"]);
  return updateParent(
    ctx,
    r,
    (current) => {
      const patched = applyPatch(type, toScale(current) as unknown as KubeObject, r.body);
      return patched.ok ? applyScale(r.def, current, patched.object) : patched;
    },
    reply,
  );
}

/** PUT `namespaces/NAME/finalize`: replaces spec.finalizers; deletes a terminating namespace left with none. */
export async function handleFinalize(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
  if (!decoded.ok) return sendStatus(r.res, decoded.status);
  return updateParent(
    ctx,
    r,
    (current) => applyFinalize(current, decoded.value),
    (stored) => {
      const out = render(r.def, [stored], false, {}, r.req.headers.accept, r.query, ctx.now());
      if (!out.ok) sendStatus(r.res, out.status);
      else sendObject(r.res, 200, out.body);
    },
  );
}
