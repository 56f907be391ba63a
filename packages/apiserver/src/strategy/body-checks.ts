import { badRequest } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { ResourceDefinition } from "../registry/resource.js";
import { groupVersionString } from "../types/group-version.js";
import { isRecord, type KubeObject } from "../types/object.js";

type Def = Pick<ResourceDefinition, "group" | "version" | "kind" | "namespaced">;

/**
 * Checks that a request body is an object of the resource's kind and
 * version, and fills in apiVersion and kind when the client left them out.
 */
export function checkBody(
  def: Def,
  body: unknown,
): { ok: true; object: KubeObject } | { ok: false; status: Status } {
  if (!isRecord(body))
    return { ok: false, status: badRequest("the request body must be a JSON object") };
  const expected = groupVersionString(def.group, def.version);
  const obj = structuredClone(body) as KubeObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    return {
      ok: false,
      status: badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
      ),
    };
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    return {
      ok: false,
      status: badRequest(
        `${String(obj.kind)} in version "${def.version}" cannot be handled as a ${def.kind}`,
      ),
    };
  }
  if (obj.metadata !== undefined && !isRecord(obj.metadata)) {
    return { ok: false, status: badRequest("metadata must be a JSON object") };
  }
  obj.apiVersion = expected;
  obj.kind = def.kind;
  return { ok: true, object: obj };
}

/**
 * Reconciles the object's namespace with the URL's, as upstream does: an
 * empty namespace takes the URL's, a different one is refused; objects of
 * cluster-scoped resources lose any namespace.
 */
export function checkNamespace(
  def: Def,
  obj: KubeObject,
  urlNamespace: string,
): Status | undefined {
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (!def.namespaced) {
    delete meta.namespace;
    return undefined;
  }
  if (!meta.namespace) {
    meta.namespace = urlNamespace;
    return undefined;
  }
  if (urlNamespace !== "" && meta.namespace !== urlNamespace) {
    return badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  return undefined;
}

/** Checks that an update's object carries the name in the URL (filling it in when missing). */
export function checkName(obj: KubeObject, urlName: string): Status | undefined {
  obj.metadata ??= {};
  const meta = obj.metadata;
  if (!meta.name) {
    meta.name = urlName;
    return undefined;
  }
  if (meta.name !== urlName) {
    return badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${urlName})`,
    );
  }
  return undefined;
}
