import { isRecord, type KubeObject } from "../types/object.js";

type FieldGetter = (obj: KubeObject) => string;

function at(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return cur;
}

const str =
  (...path: string[]): FieldGetter =>
  (obj) => {
    const v = at(obj, ...path);
    return v === undefined || v === null ? "" : String(v);
  };

// Booleans print as Go's strconv.FormatBool would.
const bool =
  (...path: string[]): FieldGetter =>
  (obj) =>
    at(obj, ...path) === true ? "true" : "false";

const COMMON: Record<string, FieldGetter> = {
  "metadata.name": str("metadata", "name"),
  "metadata.namespace": str("metadata", "namespace"),
};

/**
 * The fields each resource may be filtered on beyond metadata.name and
 * metadata.namespace, keyed by `group/resource`, with how to read each, as
 * upstream's field label conversions allow them.
 */
const EXTRA_FIELDS: Record<string, Record<string, FieldGetter>> = {
  "/pods": {
    "spec.nodeName": str("spec", "nodeName"),
    "spec.restartPolicy": str("spec", "restartPolicy"),
    "spec.schedulerName": str("spec", "schedulerName"),
    "spec.serviceAccountName": str("spec", "serviceAccountName"),
    "spec.hostNetwork": bool("spec", "hostNetwork"),
    "status.phase": str("status", "phase"),
    "status.podIP": str("status", "podIP"),
    "status.nominatedNodeName": str("status", "nominatedNodeName"),
  },
  "/events": {
    "involvedObject.kind": str("involvedObject", "kind"),
    "involvedObject.namespace": str("involvedObject", "namespace"),
    "involvedObject.name": str("involvedObject", "name"),
    "involvedObject.uid": str("involvedObject", "uid"),
    "involvedObject.apiVersion": str("involvedObject", "apiVersion"),
    "involvedObject.resourceVersion": str("involvedObject", "resourceVersion"),
    "involvedObject.fieldPath": str("involvedObject", "fieldPath"),
    reason: str("reason"),
    reportingComponent: str("reportingComponent"),
    source: str("source", "component"),
    type: str("type"),
  },
  "/secrets": { type: str("type") },
  "/namespaces": { "status.phase": str("status", "phase") },
  "/nodes": { "spec.unschedulable": bool("spec", "unschedulable") },
  "/replicationcontrollers": { "status.replicas": str("status", "replicas") },
  "apps/replicasets": { "status.replicas": str("status", "replicas") },
  "batch/jobs": { "status.successful": str("status", "succeeded") },
  "certificates.k8s.io/certificatesigningrequests": {
    "spec.signerName": str("spec", "signerName"),
  },
};

function getters(group: string, resource: string): Record<string, FieldGetter> {
  return { ...COMMON, ...(EXTRA_FIELDS[`${group}/${resource}`] ?? {}) };
}

/** The field names a resource can be filtered on. */
export function supportedFields(group: string, resource: string): string[] {
  return Object.keys(getters(group, resource));
}

/**
 * Checks that every field a selector names is supported for the resource;
 * returns upstream's message for the first one that is not.
 */
export function checkFieldsSupported(
  group: string,
  resource: string,
  fields: readonly string[],
): string | undefined {
  const known = getters(group, resource);
  const bad = fields.find((f) => !(f in known));
  return bad === undefined ? undefined : `field label not supported: ${bad}`;
}

/** The selectable fields of one object, to match a field selector against. */
export function objectFields(
  group: string,
  resource: string,
  obj: KubeObject,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, get] of Object.entries(getters(group, resource))) out[field] = get(obj);
  return out;
}
