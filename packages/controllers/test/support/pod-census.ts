import type { DynamicClient } from "@kubekit/client";
import { Resources } from "@kubekit/client";
import { isPodReady } from "../../src/common/pod-status.js";
import type { Pod } from "../../src/common/types.js";

/** What a {@link watchPodCensus} saw. */
export interface PodCensus {
  /** Most pods (not being deleted) seen at once. */
  maxPods: number;
  /** Fewest ready pods (not being deleted) seen at once, once `armed`. */
  minReady: number;
  /** Starts counting minReady from now (after the first rollout is up). */
  arm(): void;
  stop(): Promise<void>;
}

/**
 * Watches the pods matching `labelSelector` in `namespace` and keeps the
 * extremes of how many exist and how many are ready, event by event, as
 * the apiserver orders them: a rollout's surge and availability bounds.
 */
export function watchPodCensus(
  client: DynamicClient,
  namespace: string,
  labelSelector: string,
): PodCensus {
  const pods = new Map<string, Pod>();
  const stop = new AbortController();
  let armed = false;
  const census = {
    maxPods: 0,
    minReady: Number.POSITIVE_INFINITY,
    arm() {
      armed = true;
      census.minReady = count().ready;
    },
    async stop() {
      stop.abort();
      await watching;
    },
  };
  const count = () => {
    let live = 0;
    let ready = 0;
    for (const pod of pods.values()) {
      if (pod.metadata.deletionTimestamp) continue;
      live++;
      if (isPodReady(pod)) ready++;
    }
    return { live, ready };
  };
  const watching = (async () => {
    const events = client
      .resource<Pod>(Resources.pods)
      .namespace(namespace)
      .watch({ labelSelector }, stop.signal);
    for await (const event of events) {
      if (event.type === "ERROR" || event.type === "BOOKMARK") continue;
      const pod = event.object as Pod;
      if (event.type === "DELETED") pods.delete(pod.metadata.name ?? "");
      else pods.set(pod.metadata.name ?? "", pod);
      const { live, ready } = count();
      census.maxPods = Math.max(census.maxPods, live);
      if (armed) census.minReady = Math.min(census.minReady, ready);
    }
  })().catch(() => undefined);
  return census;
}
