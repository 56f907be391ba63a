import { methodNotSupported, unsupportedMediaType } from "../errors/builders.js";
import { applyPatch } from "../patch/apply-patch.js";
import { storageKey } from "../registry/storage-key.js";
import { decodeBody, mediaType, sendObject, sendStatus } from "../server/http-io.js";
import type { ResourceRequest, ServerContext } from "../server/request-context.js";
import { storageFailureStatus } from "../server/storage-status.js";
import { writeContextFor } from "../server/write-context.js";
import { admitUpdate } from "../strategy/admit-write.js";
import type { KubeObject } from "../types/object.js";
import { applyCustomScale, toCustomScale } from "./custom-scale.js";

const MAX_WRITE_ATTEMPTS = 5;
const SCALE_PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];

/**
 * GET, PUT and PATCH of a custom resource's `/scale`: the Scale view read
 * through the CRD's paths, and writes that set the replicas path and then
 * go through the resource's own update (so the schema still applies).
 */
export async function handleCustomScale(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const paths = r.def.custom?.scale;
  const gr = { group: r.def.group, resource: r.def.resource };
  if (!paths) return sendStatus(r.res, methodNotSupported(gr, r.info.verb));
  const key = storageKey(r.def, r.def.namespaced ? r.info.namespace : undefined, r.info.name);
  const verb = r.info.verb;
  if (verb !== "get" && verb !== "update" && verb !== "patch")
    return sendStatus(r.res, methodNotSupported(gr, verb));
  if (verb === "patch" && !SCALE_PATCH_TYPES.includes(mediaType(r.req.headers["content-type"])))
    return sendStatus(
      r.res,
      unsupportedMediaType(mediaType(r.req.headers["content-type"]), SCALE_PATCH_TYPES),
    );
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok) return sendStatus(r.res, storageFailureStatus(current, gr, r.info.name));
    const scale = toCustomScale(paths, current.value);
    if (verb === "get") return sendObject(r.res, 200, scale);
    let body: unknown;
    if (verb === "patch") {
      const patched = applyPatch(
        mediaType(r.req.headers["content-type"]),
        scale as unknown as KubeObject,
        r.body,
      );
      if (!patched.ok) return sendStatus(r.res, patched.status);
      body = patched.object;
    } else {
      const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
      if (!decoded.ok) return sendStatus(r.res, decoded.status);
      body = decoded.value;
    }
    const scaled = applyCustomScale(r.def, paths, current.value, body);
    if (!scaled.ok) return sendStatus(r.res, scaled.status);
    const admitted = admitUpdate(
      r.def,
      scaled.object,
      current.value,
      { namespace: r.info.namespace, name: r.info.name, subresource: "scale" },
      writeContextFor(ctx, r),
    );
    if (!admitted.ok) return sendStatus(r.res, admitted.status);
    const rv = current.value.metadata?.resourceVersion ?? "";
    const written = await ctx.store.update(key, admitted.object, rv);
    if (written.ok) return sendObject(r.res, 200, toCustomScale(paths, written.value));
    if (written.reason !== "conflict" || attempt >= MAX_WRITE_ATTEMPTS)
      return sendStatus(r.res, storageFailureStatus(written, gr, r.info.name));
  }
}
