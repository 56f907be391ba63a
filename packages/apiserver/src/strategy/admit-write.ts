import { applyDefaults } from "../defaults/apply-defaults.js";
import { optimisticLockConflict } from "../errors/builders.js";
import { shouldDeleteAfterUpdate } from "../meta/deletion.js";
import { recordUpdate } from "../meta/managed-fields.js";
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from "../meta/prepare.js";
import { applyPatch } from "../patch/apply-patch.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { prepareServiceUpdate } from "../services/service-needs.js";
import type { KubeObject } from "../types/object.js";
import { toInvalidStatus, validateCreate, validateUpdate } from "../validation/validate.js";
import type { WriteContext, WriteResult, WriteTarget } from "./admission-result.js";
import { checkBody, checkName, checkNamespace } from "./body-checks.js";
import { mutateOnCreate } from "./create-mutations.js";
import { setInitialStatus } from "./initial-status.js";

const gr = (def: ResourceDefinition) => ({ group: def.group, resource: def.resource });

/**
 * Runs a create (POST) through the core, in upstream's order: check the
 * body, reconcile the namespace, default, fill in server metadata,
 * validate, record managed fields. The result is ready for storage, which
 * assigns resourceVersion and may still answer AlreadyExists.
 */
export function admitCreate(
  def: ResourceDefinition,
  body: unknown,
  target: WriteTarget,
  ctx: WriteContext,
): WriteResult {
  const checked = checkBody(def, body);
  if (!checked.ok) return checked;
  const nsError = checkNamespace(def, checked.object, target.namespace);
  if (nsError) return { ok: false, status: nsError };
  let obj = applyDefaults(def, checked.object);
  // prepareForCreate returns a copy, so the later steps may change it in place.
  obj = setInitialStatus(def, mutateOnCreate(def, prepareForCreate(def, obj, ctx)));
  const invalid = toInvalidStatus(def, obj, validateCreate(def, obj));
  if (invalid) return { ok: false, status: invalid };
  obj.metadata = {
    ...obj.metadata,
    managedFields: recordUpdate(undefined, obj, {
      manager: ctx.manager,
      apiVersion: obj.apiVersion ?? "",
      now: ctx.now(),
    }),
  };
  return { ok: true, object: obj };
}

/**
 * Runs an update (PUT) of the stored object `current` through the core.
 * A resourceVersion in the body must match the stored one (optimistic
 * concurrency); without one the update is unconditional. Writes to the
 * status subresource change only status (and labels/annotations).
 */
export function admitUpdate(
  def: ResourceDefinition,
  body: unknown,
  current: KubeObject,
  target: WriteTarget,
  ctx: WriteContext,
): WriteResult {
  const checked = checkBody(def, body);
  if (!checked.ok) return checked;
  const name = target.name ?? current.metadata?.name ?? "";
  const nameError =
    checkName(checked.object, name) ?? checkNamespace(def, checked.object, target.namespace);
  if (nameError) return { ok: false, status: nameError };
  const sentVersion = checked.object.metadata?.resourceVersion;
  if (sentVersion && sentVersion !== current.metadata?.resourceVersion) {
    return { ok: false, status: optimisticLockConflict(gr(def), name) };
  }
  const subresource = target.subresource ?? "";
  let obj: KubeObject;
  if (subresource === "status") {
    obj = prepareForStatusUpdate(checked.object, current);
  } else {
    obj = prepareForUpdate(def, applyDefaults(def, checked.object), current);
    if (def.group === "" && def.resource === "services") obj = prepareServiceUpdate(obj, current);
  }
  const invalid = toInvalidStatus(def, obj, validateUpdate(def, obj, current));
  if (invalid) return { ok: false, status: invalid };
  const managedFields = recordUpdate(current, obj, {
    manager: ctx.manager,
    apiVersion: obj.apiVersion ?? "",
    now: ctx.now(),
    ...(subresource ? { subresource } : {}),
  });
  obj.metadata = { ...obj.metadata, managedFields };
  obj.metadata.resourceVersion = current.metadata?.resourceVersion;
  if (obj.metadata.resourceVersion === undefined) delete obj.metadata.resourceVersion;
  return shouldDeleteAfterUpdate(obj)
    ? { ok: true, object: obj, deleteNow: true }
    : { ok: true, object: obj };
}

/**
 * Runs a PATCH: applies the patch to the stored object, then treats the
 * result as an update. A patch that sets a stale resourceVersion conflicts,
 * as upstream's does.
 */
export function admitPatch(
  def: ResourceDefinition,
  contentType: string,
  patchBody: string,
  current: KubeObject,
  target: WriteTarget,
  ctx: WriteContext,
): WriteResult {
  const patched = applyPatch(contentType, current, patchBody);
  if (!patched.ok) return patched;
  return admitUpdate(def, patched.object, current, target, ctx);
}
