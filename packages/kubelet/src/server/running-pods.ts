import type { Container, PodSandbox } from "@kubekit/proto/cri";
import { ContainerState, PodSandboxState } from "@kubekit/proto/cri";
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from "../cri/labels.js";

/** One entry of `/runningpods/`: what the runtime says runs, not what the apiserver asked for. */
export interface RunningPod {
  metadata: { name: string; namespace: string; uid: string; creationTimestamp: null };
  spec: { containers: { name: string; image: string; resources: Record<string, never> }[] };
  status: Record<string, never>;
}

/**
 * The pods the runtime runs, as upstream's `/runningpods/` lists them: one
 * per ready sandbox (by the pod labels the kubelet put on it), with its
 * running containers' names and images.
 */
export function runningPods(
  sandboxes: readonly PodSandbox[],
  containers: readonly Container[],
): RunningPod[] {
  const byUid = new Map<string, RunningPod>();
  for (const sandbox of sandboxes) {
    if (sandbox.state !== PodSandboxState.SANDBOX_READY) continue;
    const uid = sandbox.labels[POD_UID_LABEL] ?? sandbox.metadata?.uid ?? "";
    byUid.set(uid, {
      metadata: {
        name: sandbox.labels[POD_NAME_LABEL] ?? sandbox.metadata?.name ?? "",
        namespace: sandbox.labels[POD_NAMESPACE_LABEL] ?? sandbox.metadata?.namespace ?? "",
        uid,
        creationTimestamp: null,
      },
      spec: { containers: [] },
      status: {},
    });
  }
  for (const c of containers) {
    if (c.state !== ContainerState.CONTAINER_RUNNING) continue;
    const pod = byUid.get(c.labels[POD_UID_LABEL] ?? "");
    pod?.spec.containers.push({
      name: c.metadata?.name ?? "",
      image: c.image?.image ?? c.imageRef,
      resources: {},
    });
  }
  return [...byUid.values()];
}
