import { type OwnerReference, splitMetaNamespaceKey } from "@kubekit/client";
import {
  beyondHistoryLimit,
  CONTROLLER_REVISION_HASH_LABEL,
  type ControllerRevision,
  controllerRevisionName,
  deleteRevisions,
  revisionsOwnedBy,
  syncCurrentRevision,
} from "../common/controller-revisions.js";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { ControllerExpectations } from "../common/expectations.js";
import { keyOf } from "../common/keys.js";
import { controlledBy, ensureControllerIndex } from "../common/owner-index.js";
import { controllerKeyOf, controllerRefFor } from "../common/owner-references.js";
import { createPods, deletePods } from "../common/pod-control.js";
import { podExpectationHandlers } from "../common/pod-expectation-events.js";
import { ControllerResources } from "../common/resources.js";
import { templateHash } from "../common/template-hash.js";
import type { Node, Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { type DaemonSet, newDaemonPod } from "./daemon-pod.js";
import { decideDaemonSet } from "./decide-daemonset.js";

const KIND = "DaemonSet";

/** The controller reference a DaemonSet puts on its pods and revisions. */
export function daemonSetControllerRef(ds: DaemonSet): OwnerReference {
  return controllerRefFor(ds, "apps/v1", KIND);
}

/**
 * Upstream's `daemonset` controller: one pod of each DaemonSet on every
 * node it fits, rolled to a new template node by node (RollingUpdate with
 * maxUnavailable) or when pods are deleted (OnDelete), with its template
 * history in ControllerRevisions.
 */
export const daemonSetController: ControllerDescriptor = {
  name: "daemonset",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const daemonSets = ctx.informers.informerFor<DaemonSet>(ControllerResources.daemonSets);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    ensureControllerIndex(pods);
    const nodes = ctx.informers.informerFor<Node>(ControllerResources.nodes);
    const revisions = ctx.informers.informerFor<ControllerRevision>(
      ControllerResources.controllerRevisions,
    );
    const dsClient = ctx.client.resource<DaemonSet>(ControllerResources.daemonSets);
    const podClient = ctx.client.resource<Pod>(ControllerResources.pods);
    const revisionClient = ctx.client.resource<ControllerRevision>(
      ControllerResources.controllerRevisions,
    );
    const recorder = ctx.eventRecorder("daemonset-controller");
    const now = () => ctx.clock.now();
    const expectations = new ControllerExpectations(ctx.clock);

    /**
     * Makes sure the current template has its ControllerRevision, then
     * trims, beyond revisionHistoryLimit, the oldest revisions no pod runs
     * (upstream's cleanupHistory).
     */
    const syncRevisions = async (
      ds: DaemonSet,
      hash: string,
      podHashes: Set<string>,
    ): Promise<void> => {
      const client = revisionClient.namespace(ds.metadata?.namespace ?? "");
      const owned = revisionsOwnedBy(
        ds,
        revisions
          .lister()
          .namespace(ds.metadata?.namespace ?? "")
          .list(),
      );
      await syncCurrentRevision({
        owner: ds,
        ownerRef: daemonSetControllerRef(ds),
        hash,
        owned,
        client,
      });
      const current = controllerRevisionName(ds, hash);
      const old = owned.filter(
        (r) =>
          r.metadata?.name !== current &&
          !podHashes.has(r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ""),
      );
      const limit = ds.spec?.revisionHistoryLimit ?? 10;
      await deleteRevisions(
        client,
        beyondHistoryLimit(old, limit, (a, b) => (a.revision ?? 0) - (b.revision ?? 0)),
      );
    };

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const ds = daemonSets.lister().namespace(namespace).get(name);
      if (!ds) {
        expectations.delete(key);
        return;
      }
      if (ds.metadata?.deletionTimestamp || !expectations.satisfied(key)) return;
      const uid = ds.metadata?.uid;
      const owned = controlledBy(pods, namespace, uid);
      const hash = templateHash(ds.spec?.template);
      await syncRevisions(
        ds,
        hash,
        new Set(owned.map((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? "")),
      );
      const decision = decideDaemonSet(ds, nodes.lister().list(), owned, hash, now());

      if (decision.create.length > 0 || decision.delete.length > 0) {
        expectations.expect(key, decision.create.length, decision.delete.length);
      }
      const control = {
        key,
        owner: ds,
        expectations,
        pods: podClient.namespace(namespace),
        recorder,
      };
      await deletePods(control, decision.delete);
      await createPods(control, decision.create.length, (i) =>
        newDaemonPod(ds, daemonSetControllerRef(ds), decision.create[i] as string, hash),
      );
      for (const e of decision.events) recorder.event(ds, e.type, e.reason, e.message);
      const status = { ...ds.status, ...decision.status };
      if (JSON.stringify(status) !== JSON.stringify(ds.status ?? {})) {
        await dsClient.namespace(namespace).updateStatus({ ...ds, status });
      }
      // Ready pods become available after minReadySeconds: look again then.
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && decision.status.numberReady > decision.status.numberAvailable) {
        queue.addAfter(key, minReady * 1000);
      }
    };

    const queue = startSyncedWorkLoop(ctx, "daemonset", signal, reconcile);
    const enqueueAll = () => {
      for (const ds of daemonSets.lister().list()) queue.add(keyOf(ds));
    };
    daemonSets.addEventHandler(enqueueEveryChange((key) => queue.add(key)));
    pods.addEventHandler(
      podExpectationHandlers<Pod>(
        expectations,
        (p) => controllerKeyOf(p, KIND),
        (key) => queue.add(key),
      ),
    );
    nodes.addEventHandler({
      onAdd: enqueueAll,
      onUpdate: (o, n) => {
        // Heartbeats change nothing a DaemonSet looks at.
        if (
          JSON.stringify(o.metadata?.labels) !== JSON.stringify(n.metadata?.labels) ||
          JSON.stringify(o.spec?.taints) !== JSON.stringify(n.spec?.taints)
        ) {
          enqueueAll();
        }
      },
      onDelete: enqueueAll,
    });
  },
};
