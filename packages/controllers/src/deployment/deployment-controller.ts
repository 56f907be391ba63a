import {
  type DeletedFinalStateUnknown,
  getControllerOf,
  isAlreadyExists,
  isNotFound,
  newControllerRef,
  Resources,
  type Selector,
  selectorFromLabelSelector,
  selectorMatches,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import { claimObjects } from "../common/claim.js";
import { beyondHistoryLimit } from "../common/controller-revisions.js";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { keyOf } from "../common/keys.js";
import { ensureControllerIndex, ownedAndOrphans } from "../common/owner-index.js";
import { resolveControllerRef } from "../common/owner-references.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import {
  desiredReplicasAnnotation,
  maxRevision,
  REVISION_ANNOTATION,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from "./annotations.js";
import {
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  newCondition,
  Reason,
  setCondition,
} from "./conditions.js";
import { desiredReplicas, isRollingUpdate, maxSurge } from "./fenceposts.js";
import { newReplicaSetFor } from "./new-replica-set.js";
import { planScale } from "./proportional.js";
import {
  activeReplicaSets,
  actualReplicaCount,
  byRevision,
  findNewReplicaSet,
  findOldReplicaSets,
  specReplicas,
} from "./replica-sets.js";
import { newReplicaSetReplicas, planOldScaleDown } from "./rolling.js";
import { rolloutStatus, sameDeploymentStatus, stuckRecheckAfter } from "./status.js";
import { equalIgnoreHash } from "./template-hash.js";

const NAME = "deployment";

/**
 * Starts the Deployment controller: rolls a Deployment's pods from old
 * ReplicaSets to the one matching its template (RollingUpdate within
 * maxSurge/maxUnavailable, or Recreate), resizes proportionally, keeps
 * revisions and revisionHistoryLimit, and reports status and the
 * Progressing/Available conditions `kubectl rollout status` reads.
 */
export function startDeploymentController(ctx: ControllerContext, signal: AbortSignal): void {
  const log = ctx.logger.child({ controller: NAME });
  const recorder = ctx.eventRecorder("deployment-controller");
  const dInformer = ctx.informers.informerFor<Deployment>(Resources.deployments);
  const rsInformer = ctx.informers.informerFor<ReplicaSet>(Resources.replicaSets);
  ensureControllerIndex(rsInformer);
  const podInformer = ctx.informers.informerFor<Pod>(Resources.pods);
  const dClient = ctx.client.resource<Deployment>(Resources.deployments);
  const rsClient = ctx.client.resource<ReplicaSet>(Resources.replicaSets);
  const loop = startSyncedWorkLoop(ctx, NAME, signal, (key) => sync(key));

  const selectorOf = (d: Deployment): Selector | undefined => {
    try {
      const s = d.spec?.selector ? selectorFromLabelSelector(d.spec.selector) : [];
      return s.length === 0 ? undefined : s;
    } catch {
      return undefined;
    }
  };
  const ownerOf = (rs: ReplicaSet): Deployment | undefined =>
    resolveControllerRef(rs, "Deployment", dInformer.lister());
  const matching = (rs: ReplicaSet): Deployment[] =>
    dInformer
      .lister()
      .namespace(rs.metadata.namespace ?? "")
      .list()
      .filter((d) => {
        const s = selectorOf(d);
        return s !== undefined && selectorMatches(s, rs.metadata.labels);
      });

  dInformer.addEventHandler(enqueueEveryChange((key) => loop.add(key)));
  rsInformer.addEventHandler({
    onAdd: (rs) => {
      const owner = ownerOf(rs);
      if (owner) loop.add(keyOf(owner));
      else if (!getControllerOf(rs)) for (const d of matching(rs)) loop.add(keyOf(d));
    },
    onUpdate: (old, rs) => {
      if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
      const oldOwner = ownerOf(old);
      const owner = ownerOf(rs);
      if (oldOwner && oldOwner.metadata.uid !== owner?.metadata.uid) loop.add(keyOf(oldOwner));
      if (owner) loop.add(keyOf(owner));
      else if (!getControllerOf(rs)) for (const d of matching(rs)) loop.add(keyOf(d));
    },
    onDelete: (obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>) => {
      const owner = ownerOf(unwrapTombstone(obj));
      if (owner) loop.add(keyOf(owner));
    },
  });
  // Recreate waits for old pods to go: a pod deletion may unblock it.
  podInformer.addEventHandler({
    onDelete: (obj) => {
      const pod = unwrapTombstone(obj);
      const ref = getControllerOf(pod);
      if (ref?.kind !== "ReplicaSet") return;
      const rs = rsInformer
        .lister()
        .namespace(pod.metadata.namespace ?? "")
        .get(ref.name);
      const d = rs ? ownerOf(rs) : undefined;
      if (d && !isRollingUpdate(d)) loop.add(keyOf(d));
    },
  });

  /** One sync's view: the Deployment as last written by us, and its ReplicaSets. */
  interface Sync {
    d: Deployment;
    rsList: ReplicaSet[];
    /** `d` carries a revision or condition not written yet (see {@link stageStatus}). */
    staged?: boolean;
  }

  async function sync(key: string): Promise<void> {
    const s = await syncDeployment(key);
    if (s?.staged) await writeStatus(s, s.d.status ?? {});
  }

  /** Reconciles one Deployment; resolves with the sync's view, which may hold a staged status. */
  async function syncDeployment(key: string): Promise<Sync | undefined> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = dInformer.lister().namespace(namespace).get(name);
    if (!cached) return undefined;
    const s: Sync = { d: structuredClone(cached), rsList: [] };
    const selector = selectorOf(s.d);
    if (!selector) {
      recorder.event(
        s.d,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
      );
      if ((s.d.status?.observedGeneration ?? 0) < (s.d.metadata.generation ?? 0)) {
        await writeStatus(s, {
          ...(s.d.status ?? {}),
          observedGeneration: s.d.metadata.generation ?? 0,
        });
      }
      return s;
    }
    // Only its own ReplicaSets and the orphans can be kept or adopted: the
    // index spares a scan (and a selector match) of every ReplicaSet in the namespace.
    const candidates = ownedAndOrphans(rsInformer, namespace, s.d.metadata.uid ?? "");
    s.rsList = await claimObjects(candidates, {
      owner: s.d,
      controllerRef: newControllerRef({ ...s.d, apiVersion: "apps/v1", kind: "Deployment" }),
      selector,
      client: rsClient.namespace(namespace),
      canAdopt: async () => {
        const fresh = await dClient.namespace(namespace).get(name);
        if (fresh.metadata.uid !== s.d.metadata.uid || fresh.metadata.deletionTimestamp) {
          throw new Error(`deployment ${key} changed or is being deleted; not adopting`);
        }
      },
    });
    if (s.d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await replicaSetsAndRevision(s, false);
      await syncRolloutStatus(s, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
      return s;
    }
    await checkPausedConditions(s);
    if (s.d.spec?.paused || isScalingEvent(s)) await scaleSync(s);
    else if (isRollingUpdate(s.d)) await rolloutRolling(s);
    else await rolloutRecreate(s);
    return s;
  }

  /** Some active ReplicaSet was sized for a different spec.replicas. */
  function isScalingEvent(s: Sync): boolean {
    const newRS = findNewReplicaSet(s.d, s.rsList);
    const all = activeReplicaSets([...findOldReplicaSets(s.rsList, newRS), newRS]);
    return all.some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== desiredReplicas(s.d);
    });
  }

  async function scaleSync(s: Sync): Promise<void> {
    const { newRS, oldRSs } = await replicaSetsAndRevision(s, false);
    for (const step of planScale(s.d, newRS, oldRSs)) {
      const updated = await scaleReplicaSet(s, step.rs, step.replicas);
      replaceRS(s, updated);
    }
    const fresh = findNewReplicaSet(s.d, s.rsList);
    const olds = findOldReplicaSets(s.rsList, fresh);
    if (s.d.spec?.paused) await cleanupDeployment(s, olds);
    return syncStatusOnly(s, olds, fresh);
  }

  async function rolloutRolling(s: Sync): Promise<void> {
    const { newRS, oldRSs } = await replicaSetsAndRevision(s, true);
    if (!newRS) return;
    const all = [...oldRSs, newRS];
    // Grow the new ReplicaSet first, as far as maxSurge allows.
    const want = desiredReplicas(s.d);
    const target = specReplicas(newRS) > want ? want : newReplicaSetReplicas(s.d, all, newRS);
    if (target !== specReplicas(newRS)) {
      const updated = await scaleReplicaSet(s, newRS, target);
      return syncRolloutStatus(s, [...oldRSs, updated], updated);
    }
    // Then shrink old ones, as far as maxUnavailable allows.
    const steps = planOldScaleDown(s.d, all, activeReplicaSets(oldRSs), newRS);
    if (steps.length > 0) {
      for (const step of steps) replaceRS(s, await scaleReplicaSet(s, step.rs, step.replicas));
      const olds = findOldReplicaSets(s.rsList, newRS);
      return syncRolloutStatus(s, [...olds, newRS], newRS);
    }
    if (deploymentComplete(s.d, s.d.status ?? {})) await cleanupDeployment(s, oldRSs);
    return syncRolloutStatus(s, all, newRS);
  }

  async function rolloutRecreate(s: Sync): Promise<void> {
    let { newRS, oldRSs } = await replicaSetsAndRevision(s, false);
    const activeOld = activeReplicaSets(oldRSs);
    if (activeOld.length > 0) {
      for (const rs of activeOld) replaceRS(s, await scaleReplicaSet(s, rs, 0));
      const olds = findOldReplicaSets(s.rsList, newRS);
      return syncRolloutStatus(s, [...olds, ...(newRS ? [newRS] : [])], newRS);
    }
    if (oldPodsRunning(s, newRS, oldRSs)) {
      return syncRolloutStatus(s, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    }
    if (!newRS) ({ newRS, oldRSs } = await replicaSetsAndRevision(s, true));
    if (!newRS) return;
    if (specReplicas(newRS) !== desiredReplicas(s.d)) {
      newRS = await scaleReplicaSet(s, newRS, desiredReplicas(s.d));
    }
    if (deploymentComplete(s.d, s.d.status ?? {})) await cleanupDeployment(s, oldRSs);
    return syncRolloutStatus(s, [...oldRSs, newRS], newRS);
  }

  /** Pods of old ReplicaSets still exist (Recreate waits for them). */
  function oldPodsRunning(s: Sync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    return podInformer
      .lister()
      .namespace(s.d.metadata.namespace ?? "")
      .list()
      .some((pod) => {
        const ref = getControllerOf(pod);
        if (!ref || !oldUids.has(ref.uid) || ref.uid === newRS?.metadata.uid) return false;
        return pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
      });
  }

  /**
   * The new ReplicaSet (created when asked and missing) with its revision
   * synced, and the old ones (upstream's getAllReplicaSetsAndSyncRevision).
   */
  async function replicaSetsAndRevision(
    s: Sync,
    create: boolean,
  ): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(s.d, s.rsList);
    const oldRSs = findOldReplicaSets(s.rsList, existing);
    const newRevision = maxRevision(oldRSs) + 1;
    const ns = s.d.metadata.namespace ?? "";
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(s.d, copy, newRevision, true);
      const minReadyChanged =
        (copy.spec?.minReadySeconds ?? 0) !== (s.d.spec?.minReadySeconds ?? 0);
      let newRS = existing;
      if (annotationsChanged || minReadyChanged) {
        copy.spec = { ...(copy.spec ?? {}), minReadySeconds: s.d.spec?.minReadySeconds ?? 0 };
        newRS = await rsClient.namespace(ns).update(copy);
        replaceRS(s, newRS);
      }
      let needsUpdate = setDeploymentRevision(
        s.d,
        newRS.metadata.annotations?.[REVISION_ANNOTATION],
      );
      const status: DeploymentStatus = structuredClone(s.d.status ?? {});
      if (hasProgressDeadline(s.d) && !getCondition(status, "Progressing")) {
        setCondition(
          status,
          newCondition(
            "Progressing",
            "True",
            Reason.FoundNewReplicaSet,
            `Found new replica set "${newRS.metadata.name}"`,
            ctx.clock.now(),
          ),
        );
        needsUpdate = true;
      }
      if (needsUpdate) stageStatus(s, status);
      return { newRS, oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };

    const ref = newControllerRef({ ...s.d, apiVersion: "apps/v1", kind: "Deployment" });
    const fresh = newReplicaSetFor(s.d, ref);
    fresh.spec = {
      ...(fresh.spec ?? {}),
      replicas: newReplicaSetReplicas(s.d, [...oldRSs, fresh], fresh),
    };
    setNewReplicaSetAnnotations(s.d, fresh, newRevision, false);
    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await rsClient.namespace(ns).create(fresh);
    } catch (err) {
      if (isAlreadyExists(err)) {
        const found = await rsClient.namespace(ns).get(fresh.metadata.name ?? "");
        const ours = getControllerOf(found)?.uid === s.d.metadata.uid;
        if (!ours || !equalIgnoreHash(found.spec?.template, s.d.spec?.template)) {
          // A hash collision: bump collisionCount so the next try hashes differently.
          const status = structuredClone(s.d.status ?? {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await writeStatus(s, status);
          throw new Error(
            `replica set ${found.metadata.name} collides with the new one; collisionCount raised`,
          );
        }
        created = found;
        alreadyExisted = true;
      } else {
        if (hasProgressDeadline(s.d)) {
          const status = structuredClone(s.d.status ?? {});
          setCondition(
            status,
            newCondition(
              "Progressing",
              "False",
              Reason.FailedReplicaSetCreate,
              String((err as Error).message ?? err),
              ctx.clock.now(),
            ),
          );
          await writeStatus(s, status).catch(() => undefined);
        }
        throw err;
      }
    }
    replaceRS(s, created);
    if (!alreadyExisted && specReplicas(created) > 0) {
      recorder.event(
        s.d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${created.metadata.name} from 0 to ${specReplicas(created)}`,
      );
    }
    let needsUpdate = setDeploymentRevision(s.d, String(newRevision));
    const status: DeploymentStatus = structuredClone(s.d.status ?? {});
    if (!alreadyExisted && hasProgressDeadline(s.d)) {
      setCondition(
        status,
        newCondition(
          "Progressing",
          "True",
          Reason.NewReplicaSetCreated,
          `Created new replica set "${created.metadata.name}"`,
          ctx.clock.now(),
        ),
      );
      needsUpdate = true;
    }
    if (needsUpdate) stageStatus(s, status);
    return { newRS: created, oldRSs };
  }

  /** Sets the Deployment's revision annotation (written with its status); true if it changed. */
  function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
    if (revision === undefined) return false;
    d.metadata.annotations ??= {};
    const annotations = d.metadata.annotations;
    if (annotations[REVISION_ANNOTATION] === revision) return false;
    annotations[REVISION_ANNOTATION] = revision;
    return true;
  }

  /** Sets a ReplicaSet's size and replicas annotations (one update, a conflict on a stale cache). */
  async function scaleReplicaSet(s: Sync, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
    const want = desiredReplicas(s.d);
    const max = want + maxSurge(s.d);
    const sizeChanged = specReplicas(rs) !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, want, max)) return rs;
    const copy = structuredClone(rs);
    const from = specReplicas(rs);
    copy.spec = { ...(copy.spec ?? {}), replicas };
    setReplicasAnnotations(copy, want, max);
    const updated = await rsClient.namespace(rs.metadata.namespace ?? "").update(copy);
    if (sizeChanged) {
      const op = replicas > from ? "up" : "down";
      recorder.event(
        s.d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled ${op} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      );
    }
    return updated;
  }

  function replaceRS(s: Sync, rs: ReplicaSet): void {
    const i = s.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (i >= 0) s.rsList[i] = rs;
    else s.rsList.push(rs);
  }

  /** Deletes the oldest empty old ReplicaSets beyond revisionHistoryLimit (default 10). */
  async function cleanupDeployment(s: Sync, oldRSs: ReplicaSet[]): Promise<void> {
    const limit = s.d.spec?.revisionHistoryLimit ?? 10;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    for (const rs of beyondHistoryLimit(cleanable, limit, byRevision)) {
      if (
        (rs.status?.replicas ?? 0) !== 0 ||
        specReplicas(rs) !== 0 ||
        (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)
      ) {
        continue;
      }
      log.debug({ rs: rs.metadata.name, revision: revisionOf(rs) }, "deleting old replica set");
      try {
        await rsClient.namespace(rs.metadata.namespace ?? "").delete(rs.metadata.name ?? "", {
          preconditions: { uid: rs.metadata.uid ?? "" },
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Paused / resumed into the Progressing condition (upstream's checkPausedConditions). */
  async function checkPausedConditions(s: Sync): Promise<void> {
    if (!hasProgressDeadline(s.d)) return;
    const cond = getCondition(s.d.status, "Progressing");
    if (cond?.reason === Reason.ProgressDeadlineExceeded) return;
    const pausedCond = cond?.reason === Reason.DeploymentPaused;
    const status = structuredClone(s.d.status ?? {});
    if (s.d.spec?.paused && !pausedCond) {
      setCondition(
        status,
        newCondition(
          "Progressing",
          "Unknown",
          Reason.DeploymentPaused,
          "Deployment is paused",
          ctx.clock.now(),
        ),
      );
    } else if (!s.d.spec?.paused && pausedCond) {
      setCondition(
        status,
        newCondition(
          "Progressing",
          "Unknown",
          Reason.DeploymentResumed,
          "Deployment is resumed",
          ctx.clock.now(),
        ),
      );
    } else {
      return;
    }
    await writeStatus(s, status);
  }

  async function syncStatusOnly(
    s: Sync,
    oldRSs: ReplicaSet[],
    newRS: ReplicaSet | undefined,
  ): Promise<void> {
    return syncRolloutStatus(s, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  async function syncRolloutStatus(
    s: Sync,
    allRSs: ReplicaSet[],
    newRS: ReplicaSet | undefined,
  ): Promise<void> {
    const now = ctx.clock.now();
    const status = rolloutStatus(s.d, allRSs, newRS, now);
    if (sameDeploymentStatus(s.d.status, status)) {
      const after = stuckRecheckAfter(s.d, status, now);
      if (after !== undefined) loop.addAfter(keyOf(s.d), after);
      if (s.staged) await writeStatus(s, s.d.status ?? {});
      return;
    }
    await writeStatus(s, status);
  }

  /**
   * Keeps a revision annotation or condition in `s.d` to go out with the
   * sync's rollout status, in one write instead of two (the sync writes it
   * at the end if nothing else did).
   */
  function stageStatus(s: Sync, status: DeploymentStatus): void {
    s.d = { ...s.d, status };
    s.staged = true;
  }

  /** Writes status (and the revision annotation) through /status. */
  async function writeStatus(s: Sync, status: DeploymentStatus): Promise<void> {
    s.d = await dClient.namespace(s.d.metadata.namespace ?? "").updateStatus({ ...s.d, status });
    s.staged = false;
  }
}

/** The `deployment` controller, on by default. */
export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: NAME,
  enabledByDefault: true,
  start: (ctx, signal) => startDeploymentController(ctx, signal),
};
