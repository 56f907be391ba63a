import {
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  type OwnerReference,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { ControllerExpectations } from "../workload-common/expectations.js";
import type { Node } from "../workload-common/node-eligibility.js";
import { keyOf, unwrap } from "../workload-common/owner-references.js";
import { WorkloadResources } from "../workload-common/resources.js";
import {
  type ControllerRevision,
  newControllerRevision,
  templateHash,
} from "../workload-common/revision-hash.js";
import { startQueue } from "../workload-common/run-queue.js";
import type { Pod } from "../workload-common/types.js";
import { type DaemonSet, newDaemonPod } from "./daemon-pod.js";
import { decideDaemonSet } from "./decide-daemonset.js";

const KIND = "DaemonSet";

/** The controller reference a DaemonSet puts on its pods and revisions. */
export function daemonSetControllerRef(ds: DaemonSet): OwnerReference {
  return {
    apiVersion: "apps/v1",
    kind: KIND,
    name: ds.metadata?.name ?? "",
    uid: ds.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

const ownerKeyOf = (obj: KubeObject): string | undefined => {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === KIND);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
};

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
    const daemonSets = ctx.informers.informerFor<DaemonSet>(WorkloadResources.daemonSets);
    const pods = ctx.informers.informerFor<Pod>(WorkloadResources.pods);
    const nodes = ctx.informers.informerFor<Node>(WorkloadResources.nodes);
    const revisions = ctx.informers.informerFor<ControllerRevision>(
      WorkloadResources.controllerRevisions,
    );
    const dsClient = ctx.client.resource<DaemonSet>(WorkloadResources.daemonSets);
    const podClient = ctx.client.resource<Pod>(WorkloadResources.pods);
    const revisionClient = ctx.client.resource<ControllerRevision>(
      WorkloadResources.controllerRevisions,
    );
    const recorder = ctx.eventRecorder("daemonset-controller");
    const now = () => ctx.clock.now();
    const expectations = new ControllerExpectations(now);

    /** Makes sure the current template has its ControllerRevision; trims history past the limit. */
    const syncRevisions = async (
      ds: DaemonSet,
      hash: string,
      podHashes: Set<string>,
    ): Promise<void> => {
      const namespace = ds.metadata?.namespace ?? "";
      const owned = revisions
        .lister()
        .namespace(namespace)
        .list()
        .filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === ds.metadata?.uid));
      const name = `${ds.metadata?.name}-${hash}`;
      const maxRevision = Math.max(0, ...owned.map((r) => r.revision ?? 0));
      const current = owned.find((r) => r.metadata?.name === name);
      if (!current) {
        try {
          await revisionClient
            .namespace(namespace)
            .create(
              newControllerRevision(
                ds,
                daemonSetControllerRef(ds),
                ds.spec?.template,
                hash,
                maxRevision + 1,
                ds.spec?.template?.metadata?.labels ?? {},
              ),
            );
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
      } else if ((current.revision ?? 0) < maxRevision) {
        // Rolling back to an earlier template makes its revision the newest again.
        await revisionClient.namespace(namespace).update({ ...current, revision: maxRevision + 1 });
      }
      const limit = ds.spec?.revisionHistoryLimit ?? 10;
      const old = owned
        .filter(
          (r) =>
            r.metadata?.name !== name &&
            !podHashes.has(r.metadata?.labels?.["controller-revision-hash"] ?? ""),
        )
        .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
      for (const r of old.slice(0, Math.max(0, old.length - limit))) {
        await revisionClient
          .namespace(namespace)
          .delete(r.metadata?.name ?? "")
          .catch((err) => {
            if (!isNotFound(err)) throw err;
          });
      }
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
      const owned = pods
        .lister()
        .namespace(namespace)
        .list()
        .filter((p) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
      const hash = templateHash(ds.spec?.template);
      await syncRevisions(
        ds,
        hash,
        new Set(owned.map((p) => p.metadata?.labels?.["controller-revision-hash"] ?? "")),
      );
      const decision = decideDaemonSet(ds, nodes.lister().list(), owned, hash, now());

      const ns = podClient.namespace(namespace);
      if (decision.create.length > 0 || decision.delete.length > 0) {
        expectations.expect(key, decision.create.length, decision.delete.length);
      }
      for (const pod of decision.delete) {
        try {
          await ns.delete(pod.metadata?.name ?? "");
          recorder.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata?.name}`);
        } catch (err) {
          expectations.deletionObserved(key);
          if (!isNotFound(err)) throw err;
        }
      }
      for (let i = 0; i < decision.create.length; i++) {
        const node = decision.create[i] as string;
        try {
          const pod = await ns.create(newDaemonPod(ds, daemonSetControllerRef(ds), node, hash));
          recorder.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata?.name}`);
        } catch (err) {
          for (let j = i; j < decision.create.length; j++) expectations.creationObserved(key);
          recorder.event(ds, "Warning", "FailedCreate", `Error creating: ${String(err)}`);
          throw err;
        }
      }
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

    const queue = startQueue(ctx, signal, "daemonset", reconcile);
    const enqueueAll = () => {
      for (const ds of daemonSets.lister().list()) queue.add(keyOf(ds));
    };
    daemonSets.addEventHandler({
      onAdd: (d) => queue.add(keyOf(d)),
      onUpdate: (_o, d) => queue.add(keyOf(d)),
      onDelete: (d) => queue.add(keyOf(unwrap(d))),
    });
    pods.addEventHandler({
      onAdd: (p) => {
        const key = ownerKeyOf(p);
        if (!key) return;
        expectations.creationObserved(key);
        queue.add(key);
      },
      onUpdate: (o, p) => {
        const key = ownerKeyOf(p);
        if (!key) return;
        if (!o.metadata?.deletionTimestamp && p.metadata?.deletionTimestamp)
          expectations.deletionObserved(key);
        queue.add(key);
      },
      onDelete: (d) => {
        const p = unwrap(d);
        const key = ownerKeyOf(p);
        if (!key) return;
        if (!p.metadata?.deletionTimestamp) expectations.deletionObserved(key);
        queue.add(key);
      },
    });
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
