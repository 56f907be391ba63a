import {
  type DeletedFinalStateUnknown,
  getControllerOf,
  isNotFound,
  newControllerRef,
  type ResourceClient,
  Resources,
  selectorMatches,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import { claimObjects } from "../common/claim.js";
import { ControllerExpectations } from "../common/expectations.js";
import { keyOf } from "../common/keys.js";
import { ensureControllerIndex, ownedAndOrphans } from "../common/owner-index.js";
import { isPodActive, isPodReady } from "../common/pod-status.js";
import { slowStartBatch } from "../common/slow-start.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Pod, ReplicaSet } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import type { ReplicatedKind } from "./kind.js";
import { podFromTemplate } from "./pod-from-template.js";
import { podsToDelete } from "./rank-pods.js";
import { calculateStatus, sameStatus } from "./replica-status.js";

/** At most this many pods are created or deleted per sync (upstream's BurstReplicas). */
export const BURST_REPLICAS = 500;

/**
 * Starts the ReplicaSet (or ReplicationController) controller: keeps each
 * object's count of active pods at spec.replicas, adopting and releasing
 * pods by selector, and reports status. Creations and deletions in flight
 * are counted in {@link ControllerExpectations}, so syncs that run before
 * the pod informer has caught up do nothing rather than act twice.
 */
export function startReplicaSetController(
  kind: ReplicatedKind,
  ctx: ControllerContext,
  signal: AbortSignal,
): { expectations: ControllerExpectations } {
  const log = ctx.logger.child({ controller: kind.controllerName });
  const recorder = ctx.eventRecorder(`${kind.controllerName}-controller`);
  const expectations = new ControllerExpectations(ctx.clock);
  const rsInformer = ctx.informers.informerFor<ReplicaSet>(kind.gvr);
  const podInformer = ctx.informers.informerFor<Pod>(Resources.pods);
  ensureControllerIndex(podInformer);
  const rsClient = ctx.client.resource<ReplicaSet>(kind.gvr);
  const podClient = ctx.client.resource<Pod>(Resources.pods);

  const loop = startSyncedWorkLoop(ctx, kind.controllerName, signal, (key) => sync(key));

  /** The object of our kind controlling `pod`, if the cache has it. */
  const controllerOf = (pod: Pod): ReplicaSet | undefined => {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== kind.kind || ref.apiVersion !== kind.apiVersion) return undefined;
    const rs = rsInformer
      .lister()
      .namespace(pod.metadata.namespace ?? "")
      .get(ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  };
  /** Every object of our kind whose selector matches an orphan pod. */
  const matchingOwners = (pod: Pod): ReplicaSet[] =>
    rsInformer
      .lister()
      .namespace(pod.metadata.namespace ?? "")
      .list()
      .filter((rs) => {
        const selector = kind.selectorOf(rs);
        return selector !== undefined && selectorMatches(selector, pod.metadata.labels);
      });

  rsInformer.addEventHandler({
    onAdd: (rs) => loop.add(keyOf(rs)),
    onUpdate: (_old, rs) => loop.add(keyOf(rs)),
    onDelete: (obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>) => {
      const rs = unwrapTombstone(obj);
      expectations.delete(keyOf(rs));
      loop.add(keyOf(rs));
    },
  });

  const onPodDeleted = (pod: Pod): void => {
    const rs = controllerOf(pod);
    if (!rs) return;
    const key = keyOf(rs);
    expectations.deletionObserved(key, keyOf(pod));
    loop.add(key);
  };

  podInformer.addEventHandler({
    onAdd: (pod) => {
      if (pod.metadata.deletionTimestamp) {
        // Restarted while a deletion was pending: count it as deleted now.
        onPodDeleted(pod);
        return;
      }
      const rs = controllerOf(pod);
      if (rs) {
        expectations.creationObserved(keyOf(rs));
        loop.add(keyOf(rs));
      } else if (!getControllerOf(pod)) {
        for (const owner of matchingOwners(pod)) loop.add(keyOf(owner));
      }
    },
    onUpdate: (old, pod) => {
      if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      const labelsChanged =
        JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
      if (pod.metadata.deletionTimestamp) {
        onPodDeleted(pod);
        if (labelsChanged) {
          const oldRs = controllerOf(old);
          if (oldRs) loop.add(keyOf(oldRs));
        }
        return;
      }
      const oldRef = getControllerOf(old);
      const ref = getControllerOf(pod);
      if (oldRef && oldRef.uid !== ref?.uid) {
        const oldRs = controllerOf(old);
        if (oldRs) loop.add(keyOf(oldRs));
      }
      const rs = controllerOf(pod);
      if (rs) {
        loop.add(keyOf(rs));
        // A pod that just became ready turns available after minReadySeconds.
        const minReady = rs.spec?.minReadySeconds ?? 0;
        if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) {
          loop.addAfter(keyOf(rs), minReady * 1000 + 1000);
        }
        return;
      }
      if (!ref && (labelsChanged || oldRef)) {
        for (const owner of matchingOwners(pod)) loop.add(keyOf(owner));
      }
    },
    onDelete: (obj) => onPodDeleted(unwrapTombstone(obj)),
  });

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const rs = rsInformer.lister().namespace(namespace).get(name);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const selector = kind.selectorOf(rs);
    if (!selector) {
      log.warn({ key }, "invalid or empty selector; not syncing");
      return;
    }
    const needsSync = expectations.satisfied(key);
    const pods = ownedAndOrphans(podInformer, namespace, rs.metadata.uid ?? "").filter((p) =>
      isPodActive(p),
    );
    const nsPods = podClient.namespace(namespace);
    const owned = await claimObjects(pods, {
      owner: rs,
      controllerRef: newControllerRef({ ...rs, apiVersion: kind.apiVersion, kind: kind.kind }),
      selector,
      client: nsPods,
      canAdopt: async () => {
        const fresh = await rsClient.namespace(namespace).get(name);
        if (fresh.metadata.uid !== rs.metadata.uid || fresh.metadata.deletionTimestamp) {
          throw new Error(`${kind.kind} ${key} changed or is being deleted; not adopting`);
        }
      },
    });

    let manageError: string | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      manageError = await manageReplicas(key, rs, owned, nsPods);
    }
    const status = calculateStatus(rs, owned, ctx.clock.now(), manageError);
    const updated = sameStatus(rs.status, status) ? rs : await updateStatus(rs, status);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const s = updated.status;
    if (
      minReady > 0 &&
      s &&
      (s.readyReplicas ?? 0) === (rs.spec?.replicas ?? 1) &&
      (s.availableReplicas ?? 0) !== (rs.spec?.replicas ?? 1)
    ) {
      loop.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw new Error(manageError);
  }

  /** Creates or deletes pods to reach spec.replicas; returns an error message if some failed. */
  async function manageReplicas(
    key: string,
    rs: ReplicaSet,
    pods: Pod[],
    nsPods: ResourceClient<Pod>,
  ): Promise<string | undefined> {
    const desired = rs.spec?.replicas ?? 1;
    const diff = pods.length - desired;
    if (diff < 0) {
      const want = Math.min(-diff, BURST_REPLICAS);
      // Expect every creation first: their informer adds may arrive before the POSTs return.
      expectations.expectCreations(key, want);
      log.debug({ key, want }, "creating pods");
      const ref = newControllerRef({ ...rs, apiVersion: kind.apiVersion, kind: kind.kind });
      const { successes, error } = await slowStartBatch(want, 1, async () => {
        try {
          const pod = await nsPods.create(podFromTemplate(rs, ref));
          recorder.event(
            rs,
            "Normal",
            "SuccessfulCreate",
            `Created pod: ${pod.metadata?.name ?? ""}`,
          );
        } catch (err) {
          // This creation will never be observed.
          expectations.creationObserved(key);
          throw err;
        }
      });
      // Creations never attempted (a batch failed) will not be observed either.
      for (let i = successes + (error ? 1 : 0); i < want; i++) expectations.creationObserved(key);
      if (error) {
        const message = `create Pod ${rs.metadata.name}-: ${String((error as Error).message ?? error)}`;
        recorder.event(rs, "Warning", "FailedCreate", `Error creating: ${message}`);
        return message;
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      expectations.expectDeletions(key, victims.map(keyOf));
      log.debug({ key, count: victims.length }, "deleting pods");
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await nsPods.delete(pod.metadata.name ?? "", {
              preconditions: { uid: pod.metadata.uid ?? "" },
            });
            recorder.event(
              rs,
              "Normal",
              "SuccessfulDelete",
              `Deleted pod: ${pod.metadata.name ?? ""}`,
            );
          } catch (err) {
            expectations.deletionObserved(key, keyOf(pod));
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) {
        const message = `delete Pod: ${String((failed.reason as Error)?.message ?? failed.reason)}`;
        recorder.event(rs, "Warning", "FailedDelete", message);
        return message;
      }
    }
    return undefined;
  }

  /** Writes status through /status, re-reading once on a conflict (upstream retries once too). */
  async function updateStatus(rs: ReplicaSet, status: ReplicaSet["status"]): Promise<ReplicaSet> {
    const client = rsClient.namespace(rs.metadata.namespace ?? "");
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.updateStatus({ ...current, status });
      } catch (err) {
        if (attempt >= 1) throw err;
        current = await client.get(rs.metadata.name ?? "");
      }
    }
  }

  return { expectations };
}

/** A descriptor running {@link startReplicaSetController} for `kind`. */
export function replicaSetControllerDescriptor(kind: ReplicatedKind): ControllerDescriptor {
  return {
    name: kind.controllerName,
    enabledByDefault: true,
    start(ctx: ControllerContext, signal: AbortSignal) {
      startReplicaSetController(kind, ctx, signal);
    },
  };
}
