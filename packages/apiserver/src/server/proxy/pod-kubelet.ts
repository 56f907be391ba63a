import { badRequest } from "../../errors/builders.js";
import type { Status } from "../../errors/status.js";
import { storageKey } from "../../registry/storage-key.js";
import { isRecord, type KubeObject } from "../../types/object.js";
import type { ServerContext } from "../request-context.js";
import { storageFailureStatus } from "../storage-status.js";
import { type KubeletTarget, nodeKubeletTarget } from "./kubelet-target.js";

const PODS = { group: "", resource: "pods", namespaced: true } as const;
const NODES = { group: "", resource: "nodes", namespaced: false } as const;

/** A stored pod. */
export async function readPod(
  ctx: ServerContext,
  namespace: string,
  name: string,
): Promise<{ ok: true; pod: KubeObject } | { ok: false; status: Status }> {
  const got = await ctx.store.get(storageKey(PODS, namespace, name));
  if (!got.ok)
    return { ok: false, status: storageFailureStatus(got, { group: "", resource: "pods" }, name) };
  return { ok: true, pod: got.value };
}

/**
 * The kubelet running a pod: the pod's node, that Node's address and
 * kubelet port. A pod not yet scheduled is a 400, as upstream words it.
 */
export async function podKubelet(
  ctx: ServerContext,
  pod: KubeObject,
): Promise<{ ok: true; target: KubeletTarget } | { ok: false; status: Status }> {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const nodeName = typeof spec.nodeName === "string" ? spec.nodeName : "";
  if (nodeName === "")
    return {
      ok: false,
      status: badRequest(`pod ${pod.metadata?.name ?? ""} does not have a host assigned`),
    };
  const got = await ctx.store.get(storageKey(NODES, undefined, nodeName));
  if (!got.ok)
    return {
      ok: false,
      status: storageFailureStatus(got, { group: "", resource: "nodes" }, nodeName),
    };
  const target = nodeKubeletTarget(got.value);
  if (!target.ok) return { ok: false, status: badRequest(target.message) };
  return { ok: true, target: target.target };
}
