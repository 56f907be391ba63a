import { isAlreadyExists, isNotFound, type KubeObject, type ResourceClient } from "@kubekit/client";
import type { Pod } from "../api/types.js";
import { isMirrorPod, mirrorMatches, mirrorPodFor } from "../sources/static-pods.js";

/** What {@link syncMirrorPods} needs. */
export interface MirrorPodSync {
  /** Pods in all namespaces. */
  pods: ResourceClient<KubeObject>;
  nodeName: string;
  nodeUid: string;
  /** The static pods this node runs. */
  staticPods: readonly Pod[];
  /** Every pod the API has on this node, mirrors included. */
  apiPods: readonly Pod[];
}

/** What a mirror sync did, for logs and tests. */
export interface MirrorPodActions {
  created: string[];
  deleted: string[];
}

async function deleteNow(pods: ResourceClient<KubeObject>, pod: Pod): Promise<void> {
  await pods
    .namespace(pod.metadata.namespace ?? "default")
    .delete(pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
    .catch((error) => {
      if (!isNotFound(error)) throw error;
    });
}

/**
 * Makes the API's mirror pods match this node's static pods, as upstream's
 * pod manager does: a missing mirror is created; a mirror of an older
 * version of the manifest, or one someone deleted, is removed (and
 * recreated on the next sync); a mirror whose static pod is gone is
 * removed. A pod of the same name that is no mirror is left alone.
 */
export async function syncMirrorPods(sync: MirrorPodSync): Promise<MirrorPodActions> {
  const actions: MirrorPodActions = { created: [], deleted: [] };
  const key = (pod: Pod) => `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
  const apiByKey = new Map(sync.apiPods.map((pod) => [key(pod), pod]));
  const staticByKey = new Map(sync.staticPods.map((pod) => [key(pod), pod]));
  for (const [name, staticPod] of staticByKey) {
    const mirror = apiByKey.get(name);
    if (mirror && !isMirrorPod(mirror)) continue;
    if (mirror && (!mirrorMatches(mirror, staticPod) || mirror.metadata.deletionTimestamp)) {
      await deleteNow(sync.pods, mirror);
      actions.deleted.push(name);
      continue;
    }
    if (!mirror) {
      try {
        await sync.pods
          .namespace(staticPod.metadata.namespace ?? "default")
          .create(mirrorPodFor(staticPod, sync.nodeName, sync.nodeUid));
        actions.created.push(name);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
  }
  for (const [name, pod] of apiByKey) {
    if (!isMirrorPod(pod) || staticByKey.has(name)) continue;
    await deleteNow(sync.pods, pod);
    actions.deleted.push(name);
  }
  return actions;
}
