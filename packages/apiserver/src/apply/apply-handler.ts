import { parse as parseYaml } from "yaml";
import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { storageKey } from "../registry/storage-key.js";
import { parseDryRun } from "../request/dry-run.js";
import { sendStatus } from "../server/http-io.js";
import { respond } from "../server/object-handlers.js";
import type { ResourceRequest, ServerContext } from "../server/request-context.js";
import { storageFailureStatus } from "../server/storage-status.js";
import { allocateForWrite, releaseAfterDelete } from "../services/service-writes.js";
import { admitCreate, admitUpdate } from "../strategy/admit-write.js";
import { checkBody } from "../strategy/body-checks.js";
import { checkNamespaceLifecycle } from "../strategy/namespace-lifecycle.js";
import { isRecord, type KubeObject } from "../types/object.js";
import { applyConfiguration, pruneManagedFields } from "./apply-configuration.js";
import { checkApplyOptions } from "./apply-options.js";

/** How often an apply is retried when another writer changed the object in between. */
const MAX_APPLY_ATTEMPTS = 5;

function parseConfiguration(
  body: string,
): { ok: true; value: KubeObject } | { ok: false; status: Status } {
  let value: unknown;
  try {
    value = parseYaml(body);
  } catch (error) {
    return { ok: false, status: badRequest(`error decoding YAML: ${(error as Error).message}`) };
  }
  if (!isRecord(value))
    return { ok: false, status: badRequest("the apply configuration must be an object") };
  if (typeof value.apiVersion !== "string" || value.apiVersion === "")
    return { ok: false, status: badRequest(`Object 'apiVersion' is missing in '${body.trim()}'`) };
  if (typeof value.kind !== "string" || value.kind === "")
    return { ok: false, status: badRequest(`Object 'Kind' is missing in '${body.trim()}'`) };
  if (
    isRecord(value.metadata) &&
    Array.isArray(value.metadata.managedFields) &&
    value.metadata.managedFields.length > 0
  )
    return { ok: false, status: badRequest("metadata.managedFields must be nil") };
  return { ok: true, value: value as KubeObject };
}

/**
 * PATCH with `application/apply-patch+yaml`: server-side apply. Creates
 * the object when it does not exist; otherwise merges the configuration
 * into the stored object with {@link applyConfiguration} (409 on
 * conflicts unless `force=true`), then runs the result through the usual
 * update path (defaults, validation, optimistic concurrency), keeping the
 * managedFields the apply computed.
 */
export async function handleApply(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const options = checkApplyOptions(r.query);
  if (!options.ok) return sendStatus(r.res, options.status);
  const dry = parseDryRun(r.query);
  if (!dry.ok) return sendStatus(r.res, dry.status);
  const parsed = parseConfiguration(r.body);
  if (!parsed.ok) return sendStatus(r.res, parsed.status);
  const checked = checkBody(r.def, parsed.value);
  if (!checked.ok) return sendStatus(r.res, checked.status);
  const config = checked.object;
  config.metadata = { ...config.metadata };
  // The name may be left out of the configuration; it comes from the URL.
  config.metadata.name ??= r.info.name;
  const gr = { group: r.def.group, resource: r.def.resource };
  const name = r.info.name;
  const namespace = r.def.namespaced ? r.info.namespace : undefined;
  const key = storageKey(r.def, namespace, name);
  const target = { namespace: r.info.namespace, name, subresource: r.info.subresource };
  const wctx = { now: ctx.now, newUid: ctx.newUid, random: ctx.random, manager: options.manager };
  const op = {
    manager: options.manager,
    force: options.force,
    apiVersion: parsed.value.apiVersion ?? "",
    now: ctx.now(),
    ...(r.info.subresource ? { subresource: r.info.subresource } : {}),
  };

  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok && current.reason !== "not-found")
      return sendStatus(r.res, storageFailureStatus(current, gr, name));

    if (!current.ok) {
      if (r.info.subresource !== "")
        return sendStatus(r.res, storageFailureStatus(current, gr, name));
      const applied = applyConfiguration(undefined, config, op);
      if (!applied.ok) return sendStatus(r.res, applied.status);
      const admitted = admitCreate(r.def, applied.object, { namespace: r.info.namespace }, wctx);
      if (!admitted.ok) return sendStatus(r.res, admitted.status);
      if (admitted.object.metadata?.name !== name)
        return sendStatus(
          r.res,
          badRequest(
            `the name of the object (${admitted.object.metadata?.name}) does not match the name on the URL (${name})`,
          ),
        );
      if (r.def.namespaced) {
        const nsDef = ctx.index.byResource("", "v1", "namespaces")!;
        const ns = await ctx.store.get(storageKey(nsDef, undefined, r.info.namespace));
        const denied = checkNamespaceLifecycle(
          {
            verb: "create",
            group: r.def.group,
            resource: r.def.resource,
            name,
            namespace: r.info.namespace,
          },
          ns.ok ? ns.value : undefined,
        );
        if (denied) return sendStatus(r.res, denied);
      }
      const object = pruneManagedFields({
        ...admitted.object,
        metadata: {
          ...admitted.object.metadata,
          managedFields: applied.object.metadata?.managedFields ?? [],
        },
      });
      const allocated = await allocateForWrite(ctx.services, r.def, object, undefined, {
        dryRun: dry.dryRun,
      });
      if (!allocated.ok) return sendStatus(r.res, allocated.status);
      if (dry.dryRun) return respond(ctx, r, 201, allocated.object);
      const created = await ctx.store.create(key, allocated.object);
      if (created.ok) {
        await allocated.commit();
        return respond(ctx, r, 201, created.value);
      }
      await allocated.undo();
      if (created.reason !== "already-exists" || attempt >= MAX_APPLY_ATTEMPTS)
        return sendStatus(r.res, storageFailureStatus(created, gr, name));
      continue;
    }

    const live = current.value;
    const applied = applyConfiguration(live, config, op);
    if (!applied.ok) return sendStatus(r.res, applied.status);
    const admitted = admitUpdate(r.def, applied.object, live, target, wctx);
    if (!admitted.ok) return sendStatus(r.res, admitted.status);
    const object = pruneManagedFields({
      ...admitted.object,
      metadata: {
        ...admitted.object.metadata,
        managedFields: applied.object.metadata?.managedFields ?? [],
      },
    });
    const rv = live.metadata?.resourceVersion ?? "";
    if (admitted.deleteNow) {
      if (dry.dryRun) return respond(ctx, r, 200, object);
      const deleted = await ctx.store.delete(key, rv);
      if (deleted.ok) {
        await releaseAfterDelete(ctx.services, r.def, deleted.value);
        return respond(ctx, r, 200, deleted.value);
      }
      if (deleted.reason !== "conflict" || attempt >= MAX_APPLY_ATTEMPTS)
        return sendStatus(r.res, storageFailureStatus(deleted, gr, name));
      continue;
    }
    const allocated = await allocateForWrite(ctx.services, r.def, object, live, {
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
    if (written.reason !== "conflict" || attempt >= MAX_APPLY_ATTEMPTS)
      return sendStatus(r.res, storageFailureStatus(written, gr, name));
  }
}
