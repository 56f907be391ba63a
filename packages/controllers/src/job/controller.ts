import {
  isNotFound,
  type KubeObject,
  type OwnerReference,
  selectorFromLabelSelector,
  selectorMatches,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { ControllerExpectations } from "../common/expectations.js";
import { controlledBy, ensureControllerIndex } from "../common/owner-index.js";
import { controllerKeyOf, controllerRefFor } from "../common/owner-references.js";
import { createPods, deletePods } from "../common/pod-control.js";
import { podExpectationHandlers } from "../common/pod-expectation-events.js";
import { ControllerResources } from "../common/resources.js";
import type { Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { type BackoffRecord, decideJob } from "./decide-job.js";
import { completionIndexOf, formatIndexes, parseIndexes } from "./indexes.js";
import { isJobFinished } from "./job-conditions.js";
import { hasTrackingFinalizer, podOutcome } from "./pod-outcome.js";
import {
  COMPLETION_INDEX_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  type Job,
  type JobStatus,
} from "./types.js";

const JOB_KIND = "Job";

/** The controller reference a Job puts on its pods. */
export function jobControllerRef(job: Job): OwnerReference {
  return controllerRefFor(job, "batch/v1", JOB_KIND);
}

/**
 * A pod for `job` from its template, tracked by the job-tracking
 * finalizer. For an Indexed Job, `index` goes into the
 * `batch.kubernetes.io/job-completion-index` annotation and label, the
 * hostname `<job>-<index>` and, as upstream does, a
 * `JOB_COMPLETION_INDEX` environment variable in every container.
 */
export function newJobPod(job: Job, index?: number): Pod {
  const template = job.spec?.template ?? {};
  const spec = structuredClone(template.spec ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  let generateName = `${job.metadata?.name}-`;
  if (index !== undefined) {
    generateName = `${job.metadata?.name}-${index}-`;
    labels[COMPLETION_INDEX_ANNOTATION] = String(index);
    annotations[COMPLETION_INDEX_ANNOTATION] = String(index);
    spec.hostname ??= `${job.metadata?.name}-${index}`;
    const env = {
      name: "JOB_COMPLETION_INDEX",
      valueFrom: {
        fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` },
      },
    };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const existing = (c.env as { name: string }[] | undefined) ?? [];
      if (!existing.some((e) => e.name === env.name)) c.env = [...existing, env];
    }
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName,
      namespace: job.metadata?.namespace ?? "",
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [jobControllerRef(job)],
      finalizers: [JOB_TRACKING_FINALIZER],
    },
    spec,
  };
}

const jobOf = (pod: KubeObject): string | undefined => controllerKeyOf(pod, JOB_KIND);

/**
 * Upstream's `job` controller: runs a Job's pods to completion, counting
 * finished pods through the `batch.kubernetes.io/job-tracking` finalizer
 * and `status.uncountedTerminatedPods`, so that no pod is counted twice
 * or lost however the controller restarts.
 */
export const jobController: ControllerDescriptor = {
  name: "job",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const jobs = ctx.informers.informerFor<Job>(ControllerResources.jobs);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    ensureControllerIndex(pods);
    const jobClient = ctx.client.resource<Job>(ControllerResources.jobs);
    const podClient = ctx.client.resource<Pod>(ControllerResources.pods);
    const recorder = ctx.eventRecorder("job-controller");
    const now = (): number => ctx.clock.now();
    const expectations = new ControllerExpectations(ctx.clock);
    const backoffs = new Map<string, BackoffRecord>();
    // Pods whose finalizer we removed and counted, until the cache shows the removal.
    const finalizersRemoved = new Map<string, Set<string>>();

    const removeFinalizer = async (pod: Pod): Promise<void> => {
      try {
        await podClient
          .namespace(pod.metadata?.namespace ?? "")
          .patch(pod.metadata?.name ?? "", "strategic", {
            metadata: { "$deleteFromPrimitiveList/finalizers": [JOB_TRACKING_FINALIZER] },
          });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    };

    const writeStatus = async (job: Job, status: JobStatus): Promise<Job> =>
      jobClient.namespace(job.metadata?.namespace ?? "").updateStatus({ ...job, status });

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      let job = jobs.lister().namespace(namespace).get(name);
      const uid = job?.metadata?.uid;
      const owned = controlledBy(pods, namespace, uid);
      if (!job) {
        // The Job is gone: its pods must not be held by our finalizer.
        expectations.delete(key);
        backoffs.delete(key);
        finalizersRemoved.delete(key);
        for (const pod of pods.lister().namespace(namespace).list()) {
          if (jobOf(pod) === key && hasTrackingFinalizer(pod)) await removeFinalizer(pod);
        }
        return;
      }
      if (!expectations.satisfied(key)) return;
      if (isJobFinished(job)) {
        for (const pod of owned) if (hasTrackingFinalizer(pod)) await removeFinalizer(pod);
        return;
      }
      const selector = selectorFromLabelSelector(job.spec?.selector ?? {});
      const mine = owned.filter((p) => selectorMatches(selector, p.metadata?.labels ?? {}));
      // Forget removals the cache now shows (or whose pods are gone).
      const stillHeld = new Set(
        mine.filter(hasTrackingFinalizer).map((p) => p.metadata?.uid ?? ""),
      );
      const removed = new Set(
        [...(finalizersRemoved.get(key) ?? [])].filter((u) => stillHeld.has(u)),
      );

      // 1. Newly finished pods go into uncountedTerminatedPods before their finalizer is removed.
      const status: JobStatus = structuredClone(job.status ?? {});
      const uncounted = {
        succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])],
        failed: [...(status.uncountedTerminatedPods?.failed ?? [])],
      };
      const isUncounted = (u: string) =>
        uncounted.succeeded.includes(u) || uncounted.failed.includes(u);
      // An Indexed Job counts successes by index in completedIndexes instead.
      const completions = job.spec?.completions ?? 0;
      const indexed = job.spec?.completionMode === "Indexed" && completions > 0;
      const completed = parseIndexes(status.completedIndexes, completions);
      const release: Pod[] = [];
      let added = false;
      for (const pod of mine) {
        const outcome = podOutcome(pod);
        const podUid = pod.metadata?.uid ?? "";
        if (!outcome || !hasTrackingFinalizer(pod) || isUncounted(podUid) || removed.has(podUid))
          continue;
        if (indexed && outcome === "succeeded") {
          const index = completionIndexOf(pod, completions);
          if (index !== undefined) completed.add(index);
          release.push(pod);
        } else {
          uncounted[outcome].push(podUid);
        }
        added = true;
      }
      if (indexed) {
        status.completedIndexes = formatIndexes(completed);
        status.succeeded = completed.size;
      }
      if (added) {
        status.uncountedTerminatedPods = uncounted;
        job = await writeStatus(job, status);
      }
      for (const pod of release) {
        await removeFinalizer(pod);
        removed.add(pod.metadata?.uid ?? "");
      }

      // 2. Release the counted pods, 3. then move them from uncounted to the counts.
      const byUid = new Map(mine.map((p) => [p.metadata?.uid ?? "", p]));
      for (const u of [...uncounted.succeeded, ...uncounted.failed]) {
        const pod = byUid.get(u);
        if (pod && hasTrackingFinalizer(pod) && !removed.has(u)) {
          await removeFinalizer(pod);
          removed.add(u);
        }
      }
      finalizersRemoved.set(key, removed);
      const backoff = backoffs.get(key) ?? { failuresAfterLastSuccess: 0 };
      if (!indexed) status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length;
      status.failed = (status.failed ?? 0) + uncounted.failed.length;
      if (uncounted.succeeded.length > 0 || release.length > 0)
        backoff.failuresAfterLastSuccess = 0;
      if (uncounted.failed.length > 0) {
        backoff.failuresAfterLastSuccess += uncounted.failed.length;
        backoff.lastFailureAt = now();
      }
      backoffs.set(key, backoff);
      status.uncountedTerminatedPods = {};

      const active = mine.filter((p) => podOutcome(p) === undefined);
      const terminating = mine.filter(
        (p) =>
          p.metadata?.deletionTimestamp &&
          p.status?.phase !== "Succeeded" &&
          p.status?.phase !== "Failed",
      ).length;
      const decision = decideJob({
        job: { ...job, status },
        active,
        uncountedPods: mine.some(
          (p) => podOutcome(p) && hasTrackingFinalizer(p) && !removed.has(p.metadata?.uid ?? ""),
        ),
        terminating,
        now: now(),
        backoff,
      });

      if (decision.create > 0 || decision.delete.length > 0) {
        expectations.expect(key, decision.create, decision.delete.length);
      }
      const control = {
        key,
        owner: job,
        expectations,
        pods: podClient.namespace(namespace),
        recorder,
      };
      await deletePods(control, decision.delete);
      await createPods(control, decision.create, (i) =>
        newJobPod(job, decision.createIndexes?.[i]),
      );
      if (JSON.stringify(decision.status) !== JSON.stringify(job.status ?? {})) {
        await writeStatus(job, decision.status);
      }
      for (const e of decision.events) recorder.event(job, e.type, e.reason, e.message);
      if (decision.requeueAfterMs !== undefined) queue.addAfter(key, decision.requeueAfterMs);
    };

    const queue = startSyncedWorkLoop(ctx, "job", signal, reconcile);
    jobs.addEventHandler(enqueueEveryChange((key) => queue.add(key)));
    pods.addEventHandler(podExpectationHandlers<Pod>(expectations, jobOf, (key) => queue.add(key)));
  },
};
