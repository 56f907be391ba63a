import { handleApply } from "../apply/apply-handler.js";
import { APPLY_PATCH_TYPE } from "../apply/apply-options.js";
import { alreadyExists, generateNameConflict, unsupportedMediaType } from "../errors/builders.js";
import { type Status, success } from "../errors/status.js";
import { checkFieldValidation } from "../openapi/check-fields.js";
import { applyPatch, PATCH_CONTENT_TYPES } from "../patch/apply-patch.js";
import { storageKey } from "../registry/storage-key.js";
import { parseDeleteOptions } from "../request/delete-options.js";
import { parseDryRun } from "../request/dry-run.js";
import { allocateForWrite, releaseAfterDelete } from "../services/service-writes.js";
import type { CreateGuard } from "../storage/object-store.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { admitCreate, admitPatch, admitUpdate } from "../strategy/admit-write.js";
import { checkNamespaceLifecycle } from "../strategy/namespace-lifecycle.js";
import { applyBinding } from "../subresources/binding.js";
import type { KubeObject } from "../types/object.js";
import { forbiddenField, invalidStatus } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";
import { deleteObject } from "./delete-object.js";
import { decodeBody, mediaType, sendObject, sendStatus } from "./http-io.js";
import { render } from "./render.js";
import type { ResourceRequest, ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";
import { writeContextFor } from "./write-context.js";

/** How often a write without a resourceVersion is retried when another writer got there first. */
const MAX_WRITE_ATTEMPTS = 5;

const grOf = (r: ResourceRequest) => ({ group: r.def.group, resource: r.def.resource });

function keyOf(r: ResourceRequest, name: string): string {
  return storageKey(r.def, r.def.namespaced ? r.info.namespace : undefined, name);
}

/** Sends a written or read object in the form the client's Accept asks for. */
export function respond(
  ctx: ServerContext,
  r: ResourceRequest,
  code: number,
  obj: KubeObject,
): void {
  const out = render(r.def, [obj], false, {}, r.req.headers.accept, r.query, ctx.now());
  if (!out.ok) sendStatus(r.res, out.status);
  else sendObject(r.res, code, out.body);
}

/**
 * NamespaceLifecycle for a write that needs no namespace read: a delete
 * (the immortal namespaces stay) or a create of a cluster-scoped object.
 */
function lifecycleWithoutNamespace(r: ResourceRequest, name: string): Status | undefined {
  return checkNamespaceLifecycle(
    {
      verb: r.info.verb,
      group: r.def.group,
      resource: r.def.resource,
      name,
      namespace: r.info.namespace,
    },
    undefined,
  );
}

/**
 * NamespaceLifecycle for a create, and the guard its write carries: the
 * namespace as remembered from an earlier create (unless `live`), else
 * read from the store. The guard makes the write fail when the namespace
 * moved on since, so a remembered namespace decides nothing on its own.
 */
async function createLifecycle(
  ctx: ServerContext,
  r: ResourceRequest,
  name: string,
  live: boolean,
): Promise<{ denied: Status } | { guard?: CreateGuard }> {
  const nsName = r.info.namespace;
  const nsDef = ctx.index.byResource("", "v1", "namespaces")!;
  const nsKey = storageKey(nsDef, undefined, nsName);
  const guardOf = (ns: KubeObject) => {
    const resourceVersion = ns.metadata?.resourceVersion;
    return resourceVersion ? { guard: { key: nsKey, resourceVersion } } : {};
  };
  const remembered = r.def.namespaced && !live ? ctx.namespaces?.get(nsName) : undefined;
  if (remembered) return guardOf(remembered);
  if (!r.def.namespaced) {
    const denied = lifecycleWithoutNamespace(r, name);
    return denied ? { denied } : {};
  }
  const got = await ctx.store.get(nsKey);
  const namespace = got.ok ? got.value : undefined;
  const denied = checkNamespaceLifecycle(
    { verb: "create", group: r.def.group, resource: r.def.resource, name, namespace: nsName },
    namespace,
  );
  if (denied) {
    ctx.namespaces?.forget(nsName);
    return { denied };
  }
  if (!namespace) return {};
  ctx.namespaces?.remember(nsName, namespace);
  return guardOf(namespace);
}

/** POST: admit the body through the core, then store it if the name is free. */
export async function handleCreate(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const dry = parseDryRun(r.query);
  if (!dry.ok) return sendStatus(r.res, dry.status);
  const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
  if (!decoded.ok) return sendStatus(r.res, decoded.status);
  const unknownFieldError = checkFieldValidation(r, decoded.value);
  if (unknownFieldError) return sendStatus(r.res, unknownFieldError);
  const admitted = admitCreate(
    r.def,
    decoded.value,
    { namespace: r.info.namespace },
    writeContextFor(ctx, r),
  );
  if (!admitted.ok) return sendStatus(r.res, admitted.status);
  const name = admitted.object.metadata?.name ?? "";
  // The first attempt may trust a remembered namespace; a moved guard sends the next to the store.
  for (let attempt = 1; ; attempt++) {
    const lifecycle = await createLifecycle(ctx, r, name, attempt > 1 || dry.dryRun);
    if ("denied" in lifecycle) return sendStatus(r.res, lifecycle.denied);
    if (dry.dryRun) {
      // Everything but the write: the name must still be free.
      const existing = await ctx.store.get(keyOf(r, name));
      if (existing.ok) return sendStatus(r.res, alreadyExists(grOf(r), name));
    }
    const allocated = await allocateForWrite(ctx.services, r.def, admitted.object, undefined, {
      dryRun: dry.dryRun,
    });
    if (!allocated.ok) return sendStatus(r.res, allocated.status);
    if (dry.dryRun) return respond(ctx, r, 201, allocated.object);
    // The last attempt writes unguarded, on the namespace it has just read.
    const guard = attempt < MAX_WRITE_ATTEMPTS ? lifecycle.guard : undefined;
    const stored = await ctx.store.create(keyOf(r, name), allocated.object, guard);
    if (!stored.ok) {
      await allocated.undo();
      if (stored.reason === "guard-moved") {
        ctx.namespaces?.forget(r.info.namespace);
        continue;
      }
      const generated =
        stored.reason === "already-exists" && !(decoded.value as KubeObject).metadata?.name;
      return sendStatus(
        r.res,
        generated
          ? generateNameConflict(grOf(r), name)
          : storageFailureStatus(stored, grOf(r), name),
      );
    }
    await allocated.commit();
    return respond(ctx, r, 201, stored.value);
  }
}

/** GET of one object. */
export async function handleGet(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const got = await ctx.store.get(keyOf(r, r.info.name));
  if (!got.ok) return sendStatus(r.res, storageFailureStatus(got, grOf(r), r.info.name));
  respond(ctx, r, 200, got.value);
}

/**
 * The read-modify-write loop of PUT and PATCH, as upstream's
 * GuaranteedUpdate: read the object, admit the change against it, and
 * store it only if nobody wrote in between; retry (a few times) when
 * someone did, unless the client pinned a resourceVersion.
 */
async function guaranteedUpdate(
  ctx: ServerContext,
  r: ResourceRequest,
  admit: (current: KubeObject) => WriteResult,
): Promise<void> {
  const dry = parseDryRun(r.query);
  if (!dry.ok) return sendStatus(r.res, dry.status);
  const key = keyOf(r, r.info.name);
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok) return sendStatus(r.res, storageFailureStatus(current, grOf(r), r.info.name));
    const admitted = admit(current.value);
    if (!admitted.ok) return sendStatus(r.res, admitted.status);
    const rv = current.value.metadata?.resourceVersion ?? "";
    if (admitted.deleteNow) {
      if (dry.dryRun) return respond(ctx, r, 200, admitted.object);
      const deleted = await ctx.store.delete(key, rv);
      if (deleted.ok) {
        await releaseAfterDelete(ctx.services, r.def, deleted.value);
        return respond(ctx, r, 200, deleted.value);
      }
      if (deleted.reason !== "conflict" || attempt >= MAX_WRITE_ATTEMPTS)
        return sendStatus(r.res, storageFailureStatus(deleted, grOf(r), r.info.name));
      continue;
    }
    const allocated = await allocateForWrite(ctx.services, r.def, admitted.object, current.value, {
      subresource: r.info.subresource,
      dryRun: dry.dryRun,
    });
    if (!allocated.ok) return sendStatus(r.res, allocated.status);
    if (dry.dryRun) return respond(ctx, r, 200, allocated.object);
    const written = await ctx.store.update(key, allocated.object, rv);
    if (written.ok) {
      await allocated.commit();
      return respond(ctx, r, 200, written.value);
    }
    await allocated.undo();
    if (written.reason !== "conflict" || attempt >= MAX_WRITE_ATTEMPTS)
      return sendStatus(r.res, storageFailureStatus(written, grOf(r), r.info.name));
  }
}

/**
 * POST pods/NAME/binding: sets the pod's spec.nodeName with a
 * compare-and-swap on the stored pod (retried on a race with another
 * writer); 409 when the pod is already bound, 201 with a success Status.
 */
export async function handleBinding(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
  if (!decoded.ok) return sendStatus(r.res, decoded.status);
  const key = keyOf(r, r.info.name);
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok) return sendStatus(r.res, storageFailureStatus(current, grOf(r), r.info.name));
    const bound = applyBinding(current.value, decoded.value, ctx.now());
    if (!bound.ok) return sendStatus(r.res, bound.status);
    const rv = current.value.metadata?.resourceVersion ?? "";
    const written = await ctx.store.update(key, bound.object, rv);
    if (written.ok) return sendObject(r.res, 201, { ...success(), code: 201 });
    if (written.reason !== "conflict" || attempt >= MAX_WRITE_ATTEMPTS)
      return sendStatus(r.res, storageFailureStatus(written, grOf(r), r.info.name));
  }
}

/** PUT: replace the object (or its status). */
export async function handleUpdate(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
  if (!decoded.ok) return sendStatus(r.res, decoded.status);
  const unknownFieldError = checkFieldValidation(r, decoded.value);
  if (unknownFieldError) return sendStatus(r.res, unknownFieldError);
  const target = {
    namespace: r.info.namespace,
    name: r.info.name,
    subresource: r.info.subresource,
  };
  await guaranteedUpdate(ctx, r, (current) =>
    admitUpdate(r.def, decoded.value, current, target, writeContextFor(ctx, r)),
  );
}

/** PATCH: JSON patch, merge patch or strategic merge patch, applied to the stored object. */
export async function handlePatch(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const type = mediaType(r.req.headers["content-type"]);
  if (type === APPLY_PATCH_TYPE) return handleApply(ctx, r);
  if (r.query.has("force"))
    return sendStatus(
      r.res,
      invalidStatus({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
        forbiddenField(FieldPath.root("force"), "may not be specified for non-apply patch"),
      ]),
    );
  // Custom resources have no Go types to merge by, so upstream refuses strategic merge patch.
  const accepted = r.def.custom
    ? PATCH_CONTENT_TYPES.filter((t) => t !== "application/strategic-merge-patch+json")
    : PATCH_CONTENT_TYPES;
  if (!(accepted as readonly string[]).includes(type))
    return sendStatus(r.res, unsupportedMediaType(type, [...accepted, APPLY_PATCH_TYPE]));
  const target = {
    namespace: r.info.namespace,
    name: r.info.name,
    subresource: r.info.subresource,
  };
  await guaranteedUpdate(ctx, r, (current) => {
    // fieldValidation looks at the patched object, as upstream decodes it.
    const patched = applyPatch(type, current, r.body);
    const unknownFieldError = patched.ok
      ? checkFieldValidation(r, patched.object, current)
      : undefined;
    if (unknownFieldError) return { ok: false, status: unknownFieldError };
    return admitPatch(r.def, type, r.body, current, target, writeContextFor(ctx, r));
  });
}

/**
 * DELETE of one object: check preconditions, then remove it now or mark
 * it deleted (finalizers, graceful pods, terminating namespaces).
 */
export async function handleDelete(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  let body: unknown = {};
  if (r.body.trim() !== "") {
    const decoded = decodeBody(r.req.headers["content-type"], r.rawBody);
    if (!decoded.ok) return sendStatus(r.res, decoded.status);
    body = decoded.value;
  }
  const parsed = parseDeleteOptions(body, r.query);
  if (!parsed.ok) return sendStatus(r.res, parsed.status);
  const denied = lifecycleWithoutNamespace(r, r.info.name);
  if (denied) return sendStatus(r.res, denied);
  const outcome = await deleteObject(
    ctx,
    r.def,
    keyOf(r, r.info.name),
    r.info.name,
    parsed.options,
  );
  if (!outcome.ok) return sendStatus(r.res, outcome.status);
  respond(ctx, r, outcome.code, outcome.object);
}
