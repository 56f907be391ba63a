import { badRequest, conflict } from "../errors/builders.js";
import { formatTime } from "../meta/clock.js";
import type { WriteResult } from "../strategy/admission-result.js";
import { deepCopy, isRecord, type KubeObject } from "../types/object.js";
import {
  type FieldError,
  invalidStatus,
  notSupported,
  required,
} from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";

const PODS_BINDING = { group: "", resource: "pods/binding" };

/**
 * Binds a pod to a node, as a POST to `pods/<name>/binding` does (the
 * scheduler's last step): the Binding must name a Node target; a pod that
 * is already bound or being deleted cannot be bound. The pod gets its
 * spec.nodeName, the Binding's annotations, and a true PodScheduled
 * condition.
 */
export function applyBinding(pod: KubeObject, binding: unknown, now: Date): WriteResult {
  if (!isRecord(binding))
    return { ok: false, status: badRequest("the request body must be a JSON object") };
  const name = pod.metadata?.name ?? "";
  const target = isRecord(binding.target) ? binding.target : {};
  const errs: FieldError[] = [];
  const kind = typeof target.kind === "string" ? target.kind : "";
  if (kind !== "" && kind !== "Node")
    errs.push(notSupported(FieldPath.root("target", "kind"), kind, ["Node", "<empty>"]));
  const nodeName = typeof target.name === "string" ? target.name : "";
  if (nodeName === "") errs.push(required(FieldPath.root("target", "name")));
  if (errs.length > 0)
    return { ok: false, status: invalidStatus({ group: "", kind: "Binding" }, name, errs) };

  if (pod.metadata?.deletionTimestamp) {
    return {
      ok: false,
      status: conflict(
        PODS_BINDING,
        name,
        `pod ${name} is being deleted, cannot be assigned to a host`,
      ),
    };
  }
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === "string" && spec.nodeName !== "") {
    return {
      ok: false,
      status: conflict(
        PODS_BINDING,
        name,
        `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`,
      ),
    };
  }
  const out = deepCopy(pod);
  out.spec = { ...spec, nodeName };
  const bindingMeta = isRecord(binding.metadata) ? binding.metadata : {};
  if (isRecord(bindingMeta.annotations)) {
    out.metadata = {
      ...out.metadata,
      annotations: {
        ...(out.metadata?.annotations ?? {}),
        ...(bindingMeta.annotations as Record<string, string>),
      },
    };
  }
  const status = isRecord(out.status) ? out.status : {};
  const conditions = Array.isArray(status.conditions)
    ? status.conditions.filter((c) => !(isRecord(c) && c.type === "PodScheduled"))
    : [];
  conditions.push({
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: formatTime(now),
  });
  out.status = { ...status, conditions };
  return { ok: true, object: out };
}
