import { isNotFound, splitMetaNamespaceKey } from "@kubekit/client";
import { keyOf } from "../common/keys.js";
import { ControllerResources } from "../common/resources.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Node, Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { evictionTime } from "./eviction-time.js";

const NODE_NAME_INDEX = "spec.nodeName";

/**
 * Upstream's `taint-eviction-controller` (the NoExecute taint manager):
 * deletes the pods of a node with NoExecute taints they do not tolerate,
 * at once, or when the shortest tolerationSeconds among the tolerations
 * they rely on has passed. The pod first gets a DisruptionTarget
 * condition saying why, as upstream does.
 */
export const taintEvictionController: ControllerDescriptor = {
  name: "taint-eviction-controller",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods, {
      indexers: { [NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) },
    });
    const nodes = ctx.informers.informerFor<Node>(ControllerResources.nodes);
    const podClient = ctx.client.resource<Pod>(ControllerResources.pods);
    const recorder = ctx.eventRecorder("taint-eviction-controller");
    const firstSeen = new Map<string, number>();

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const pod = pods.lister().namespace(namespace).get(name);
      const nodeName = pod?.spec?.nodeName;
      if (!pod || !nodeName || pod.metadata?.deletionTimestamp) {
        firstSeen.delete(key);
        return;
      }
      const taints = nodes.lister().get(nodeName)?.spec?.taints ?? [];
      const since = firstSeen.get(key) ?? ctx.clock.now();
      const at = evictionTime(taints, pod.spec?.tolerations ?? [], since);
      if (at === undefined) {
        firstSeen.delete(key);
        return;
      }
      firstSeen.set(key, since);
      const now = ctx.clock.now();
      if (at > now) {
        queue.addAfter(key, at - now);
        return;
      }
      recorder.event(
        pod,
        "Normal",
        "TaintManagerEviction",
        `Marking for deletion Pod ${namespace}/${name}`,
      );
      const ns = podClient.namespace(namespace);
      try {
        const conditions = [
          ...(pod.status?.conditions ?? []).filter((c) => c.type !== "DisruptionTarget"),
          {
            type: "DisruptionTarget",
            status: "True" as const,
            reason: "DeletionByTaintManager",
            message: "Taint manager: deleting due to NoExecute taint",
            lastTransitionTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"),
          },
        ];
        await ns.updateStatus({ ...pod, status: { ...pod.status, conditions } });
        await ns.delete(name, { preconditions: { uid: pod.metadata?.uid ?? "" } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      firstSeen.delete(key);
    };

    const queue = startSyncedWorkLoop(ctx, "taint-eviction-controller", signal, reconcile);
    pods.addEventHandler({
      onAdd: (p) => queue.add(keyOf(p)),
      onUpdate: (o, p) => {
        if (
          o.spec?.nodeName !== p.spec?.nodeName ||
          JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations)
        ) {
          queue.add(keyOf(p));
        }
      },
      onDelete: (p) => firstSeen.delete(keyOf(unwrapTombstone(p))),
    });
    nodes.addEventHandler({
      onUpdate: (o, n) => {
        if (JSON.stringify(o.spec?.taints) === JSON.stringify(n.spec?.taints)) return;
        for (const p of pods.indexer.byIndex(NODE_NAME_INDEX, n.metadata?.name ?? ""))
          queue.add(keyOf(p));
      },
    });
  },
};
