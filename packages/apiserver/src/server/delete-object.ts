import { withCleanupFinalizer } from "../crd/crd-status.js";
import { isCrdResource } from "../crd/crd-types.js";
import { notFound } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import { decideDeletion } from "../meta/deletion.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { checkPreconditions, type ParsedDeleteOptions } from "../request/delete-options.js";
import { releaseAfterDelete } from "../services/service-writes.js";
import { namespaceDeletion } from "../strategy/namespace-lifecycle.js";
import type { KubeObject } from "../types/object.js";
import type { ServerContext } from "./request-context.js";
import { storageFailureStatus } from "./storage-status.js";

/** How often a delete is retried when another writer changed the object in between. */
const MAX_DELETE_ATTEMPTS = 5;

/** What a delete of one object came to. */
export type DeleteOutcome =
  /** 200 with the object as it was removed (or as it stays, already being deleted); 202 when it now waits for finalizers or a grace period. */
  { ok: true; code: 200 | 202; object: KubeObject } | { ok: false; status: Status };

/**
 * Deletes one stored object as upstream's store does: check the
 * preconditions, then remove it, or (finalizers, including the ones the
 * propagation policy adds, graceful pods, terminating namespaces) mark it
 * with a deletionTimestamp. Retries on a write race; with `dryRun` decides
 * without writing. Single DELETE and deletecollection share it.
 */
export async function deleteObject(
  ctx: ServerContext,
  def: ResourceDefinition,
  key: string,
  name: string,
  options: ParsedDeleteOptions,
): Promise<DeleteOutcome> {
  const gr = { group: def.group, resource: def.resource };
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(key);
    if (!current.ok) return { ok: false, status: notFound(gr, name) };
    const failed = checkPreconditions(gr, current.value, options.preconditions);
    if (failed) return { ok: false, status: failed };
    // A CRD stays (Terminating) until the CRD controller has deleted its custom resources.
    if (isCrdResource(def)) current.value = withCleanupFinalizer(current.value);
    const isNamespace = def.group === "" && def.resource === "namespaces";
    const decision = isNamespace
      ? namespaceDeletion(current.value, ctx.now())
      : decideDeletion(
          current.value,
          options,
          ctx.now(),
          def.group === "" && def.resource === "pods",
        );
    if (decision.action === "unchanged") return { ok: true, code: 200, object: current.value };
    const code = decision.action === "delete" ? 200 : 202;
    if (options.dryRun)
      return {
        ok: true,
        code,
        object: decision.action === "delete" ? current.value : decision.object,
      };
    const rv = current.value.metadata?.resourceVersion ?? "";
    const written =
      decision.action === "delete"
        ? await ctx.store.delete(key, rv)
        : await ctx.store.update(key, decision.object, rv);
    if (written.ok) {
      if (decision.action === "delete") await releaseAfterDelete(ctx.services, def, written.value);
      return { ok: true, code, object: written.value };
    }
    if (written.reason !== "conflict" || attempt >= MAX_DELETE_ATTEMPTS)
      return { ok: false, status: storageFailureStatus(written, gr, name) };
  }
}
