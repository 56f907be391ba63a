import { type DynamicClient, isConflict, Resources } from "@kubekit/client";
import type { Pod } from "../../src/common/types.js";

/** What the fake kubelet reports for a pod. */
export interface ReportedPodStatus {
  phase: "Pending" | "Running" | "Succeeded" | "Failed";
  ready?: boolean;
  podIP?: string;
  /** Exit code reported for every container when the phase is terminal. */
  exitCode?: number;
}

/**
 * Plays the kubelet for one pod: writes phase, Ready condition and pod IP
 * through pods/status, re-reading on conflict.
 */
export async function reportPodStatus(
  client: DynamicClient,
  namespace: string,
  name: string,
  reported: ReportedPodStatus,
): Promise<Pod> {
  const pods = client.resource<Pod>(Resources.pods).namespace(namespace);
  for (let attempt = 0; attempt < 10; attempt++) {
    const pod = await pods.get(name);
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const ready = reported.ready ?? reported.phase === "Running";
    const terminated = reported.phase === "Succeeded" || reported.phase === "Failed";
    pod.status = {
      ...pod.status,
      phase: reported.phase,
      ...(reported.podIP ? { podIP: reported.podIP, podIPs: [{ ip: reported.podIP }] } : {}),
      conditions: [
        { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now },
        { type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: now },
      ],
      ...(terminated
        ? {
            containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
              name: c.name,
              ready: false,
              restartCount: 0,
              image: String(c.image ?? ""),
              imageID: "",
              state: {
                terminated: {
                  exitCode: reported.exitCode ?? (reported.phase === "Succeeded" ? 0 : 1),
                  reason: reported.phase === "Succeeded" ? "Completed" : "Error",
                },
              },
            })),
          }
        : {}),
    };
    try {
      return await pods.updateStatus(pod);
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
  throw new Error(`pod ${namespace}/${name}: status kept conflicting`);
}

/** Sets `spec.nodeName` as a scheduler's binding would (through pods/binding). */
export async function bindPod(
  client: DynamicClient,
  namespace: string,
  name: string,
  nodeName: string,
): Promise<void> {
  await client
    .resource(Resources.pods)
    .namespace(namespace)
    .createSubresource(name, "binding", {
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name, namespace },
      target: { apiVersion: "v1", kind: "Node", name: nodeName },
    });
}

/**
 * Plays the scheduler and the kubelets for the pods of `namespace` that
 * `select` picks, one pass: binds unbound pods to `nodeFor(pod)`, reports
 * bound pods Running and Ready, and finishes graceful deletions (as a
 * kubelet confirms a pod stopped by deleting it with grace period 0).
 * Returns how many pods it touched.
 */
export async function playNodes(
  client: DynamicClient,
  namespace: string,
  select: (pod: Pod) => boolean,
  nodeFor: (pod: Pod) => string | undefined,
): Promise<number> {
  const pods = client.resource<Pod>(Resources.pods).namespace(namespace);
  let touched = 0;
  for (const pod of (await pods.list()).items.filter(select)) {
    const name = pod.metadata?.name ?? "";
    try {
      if (pod.metadata?.deletionTimestamp) {
        if ((pod.metadata.finalizers ?? []).length === 0) {
          await pods.delete(name, { gracePeriodSeconds: 0 });
          touched++;
        }
        continue;
      }
      if (!pod.spec?.nodeName) {
        const node = nodeFor(pod);
        if (!node) continue;
        await bindPod(client, namespace, name, node);
        touched++;
      }
      if (pod.status?.phase !== "Running") {
        const ip = `10.77.${touched % 250}.${(name.length * 7) % 250}`;
        await reportPodStatus(client, namespace, name, {
          phase: "Running",
          ready: true,
          podIP: ip,
        });
        touched++;
      }
    } catch {
      // The pod changed under us (deleted, re-bound): the next pass sees its new state.
    }
  }
  return touched;
}
