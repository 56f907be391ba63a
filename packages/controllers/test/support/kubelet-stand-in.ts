import {
  type DynamicClient,
  isNotFound,
  RateLimitingQueue,
  Resources,
  realClock,
  runWorkers,
  SharedInformerFactory,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import type { Pod } from "../../src/common/types.js";

/** Settings of {@link startKubeletStandIn}. */
export interface KubeletStandInOptions {
  /** The node unbound pods are bound to (default `stand-in`). */
  nodeName?: string;
  /** Whether a pod should report Ready (default: every pod). */
  ready?: (pod: Pod) => boolean;
  /** How long a pod runs before it turns Ready (default 0), like a readiness probe's delay. */
  readyAfterMs?: number;
}

/** The stand-in's handle. */
export interface KubeletStandIn {
  /** Re-evaluates every pod (e.g. after `ready` changed its mind). */
  resync(): void;
  stop(): Promise<void>;
}

/**
 * Plays the kubelet (and the scheduler) for controller tests through the
 * real apiserver: binds unbound pods to one node through pods/binding,
 * reports them Running (and Ready, unless `ready` says no) through
 * pods/status, and finishes graceful deletions by deleting with grace 0.
 */
export function startKubeletStandIn(
  client: DynamicClient,
  options: KubeletStandInOptions = {},
): KubeletStandIn {
  const nodeName = options.nodeName ?? "stand-in";
  const wantReady = options.ready ?? (() => true);
  const stop = new AbortController();
  const factory = new SharedInformerFactory(client, { clock: realClock });
  const informer = factory.informerFor<Pod>(Resources.pods);
  const queue = new RateLimitingQueue<string>({ clock: realClock });
  const key = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;
  informer.addEventHandler({
    onAdd: (pod) => queue.add(key(pod)),
    onUpdate: (_old, pod) => queue.add(key(pod)),
  });
  const pods = client.resource<Pod>(Resources.pods);

  async function sync(k: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(k);
    const pod = informer.lister().namespace(namespace).get(name);
    if (!pod) return;
    const ns = pods.namespace(namespace);
    try {
      if (pod.metadata.deletionTimestamp) {
        await ns.delete(name, {
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid ?? "" },
        });
        return;
      }
      if (!pod.spec?.nodeName) {
        await ns.createSubresource(name, "binding", {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name, namespace },
          target: { apiVersion: "v1", kind: "Node", name: nodeName },
        });
        return;
      }
      const readyAfterMs = options.readyAfterMs ?? 0;
      const runningFor =
        pod.status?.phase === "Running" && pod.status.startTime
          ? Date.now() - Date.parse(String(pod.status.startTime))
          : 0;
      const ready = wantReady(pod) && (readyAfterMs === 0 || runningFor >= readyAfterMs);
      if (wantReady(pod) && !ready && pod.status?.phase === "Running") {
        queue.addAfter(k, readyAfterMs - runningFor + 50);
        return;
      }
      const current = pod.status?.conditions?.find((c) => c.type === "Ready");
      if (pod.status?.phase === "Running" && (current?.status === "True") === ready) return;
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const status = ready ? "True" : "False";
      const containers = ((pod.spec?.containers as Array<{ name: string }> | undefined) ?? []).map(
        (c) => ({
          name: c.name,
          ready,
          restartCount: 0,
          image: "stand-in",
          imageID: "",
          state: { running: { startedAt: now } },
        }),
      );
      await ns.patch(
        name,
        "merge",
        {
          status: {
            phase: "Running",
            hostIP: "127.0.0.1",
            podIP: "10.0.0.1",
            startTime: now,
            conditions: [
              { type: "PodScheduled", status: "True", lastTransitionTime: now },
              { type: "Initialized", status: "True", lastTransitionTime: now },
              { type: "ContainersReady", status, lastTransitionTime: now },
              { type: "Ready", status, lastTransitionTime: now },
            ],
            containerStatuses: containers,
          },
        },
        { subresource: "status" },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  stop.signal.addEventListener("abort", () => queue.shutDown());
  factory.start(stop.signal);
  const workers = factory
    .waitForCacheSync(stop.signal)
    .then((ok) => (ok ? runWorkers(queue, sync, { workers: 4 }) : undefined));
  return {
    resync() {
      for (const pod of informer.lister().list()) queue.add(key(pod));
    },
    async stop() {
      stop.abort();
      await workers;
      await factory.shutdown();
    },
  };
}
