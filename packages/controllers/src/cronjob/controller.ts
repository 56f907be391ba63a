import {
  isAlreadyExists,
  isNotFound,
  type OwnerReference,
  splitMetaNamespaceKey,
} from "@kubekit/client";
import { keyOf } from "../common/keys.js";
import { controllerKeyOf, controllerRefFor } from "../common/owner-references.js";
import { ControllerResources } from "../common/resources.js";
import { unwrapTombstone } from "../common/tombstone.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import type { Job } from "../job/types.js";
import { decideCronJob } from "./decide-cronjob.js";
import { type CronJob, SCHEDULED_TIMESTAMP_ANNOTATION } from "./types.js";

const KIND = "CronJob";

/** The controller reference a CronJob puts on its Jobs. */
export function cronJobControllerRef(cronJob: CronJob): OwnerReference {
  return controllerRefFor(cronJob, "batch/v1", KIND);
}

/** The Job a CronJob starts for `scheduledTime`, from its jobTemplate. */
export function newScheduledJob(cronJob: CronJob, name: string, scheduledTime: number): Job {
  const template = cronJob.spec?.jobTemplate ?? {};
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: cronJob.metadata?.namespace ?? "",
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: {
        ...(template.metadata?.annotations ?? {}),
        [SCHEDULED_TIMESTAMP_ANNOTATION]: new Date(scheduledTime)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      },
      ownerReferences: [cronJobControllerRef(cronJob)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

const ownerKeyOf = (job: Job): string | undefined => controllerKeyOf(job, KIND);

/** Upstream's `cronjob` controller: starts Jobs on a cron schedule and keeps their history. */
export const cronJobController: ControllerDescriptor = {
  name: "cronjob",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const cronJobs = ctx.informers.informerFor<CronJob>(ControllerResources.cronJobs);
    const jobs = ctx.informers.informerFor<Job>(ControllerResources.jobs);
    const cronJobClient = ctx.client.resource<CronJob>(ControllerResources.cronJobs);
    const jobClient = ctx.client.resource<Job>(ControllerResources.jobs);
    const recorder = ctx.eventRecorder("cronjob-controller");

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const cronJob = cronJobs.lister().namespace(namespace).get(name);
      if (!cronJob) return;
      const uid = cronJob.metadata?.uid;
      const owned = jobs
        .lister()
        .namespace(namespace)
        .list()
        .filter((j) => j.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
      const decision = decideCronJob(cronJob, owned, ctx.clock.now());
      const ns = jobClient.namespace(namespace);
      for (const job of decision.delete) {
        try {
          await ns.delete(job.metadata?.name ?? "", { propagationPolicy: "Background" });
          recorder.event(
            cronJob,
            "Normal",
            "SuccessfulDelete",
            `Deleted job ${job.metadata?.name}`,
          );
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      for (const e of decision.events) recorder.event(cronJob, e.type, e.reason, e.message);
      const status = decision.status;
      if (decision.create) {
        try {
          const job = await ns.create(
            newScheduledJob(cronJob, decision.create.name, decision.create.scheduledTime),
          );
          recorder.event(
            cronJob,
            "Normal",
            "SuccessfulCreate",
            `Created job ${job.metadata?.name}`,
          );
          status.active = [
            ...(status.active ?? []),
            {
              apiVersion: "batch/v1",
              kind: "Job",
              namespace,
              name: job.metadata?.name ?? "",
              uid: job.metadata?.uid ?? "",
              resourceVersion: job.metadata?.resourceVersion ?? "",
            },
          ];
        } catch (err) {
          // Our cache had not seen the Job yet; it is there, so this run is done.
          if (!isAlreadyExists(err)) {
            recorder.event(
              cronJob,
              "Warning",
              "FailedCreate",
              `Error creating job: ${String(err)}`,
            );
            throw err;
          }
        }
      }
      if (JSON.stringify(status) !== JSON.stringify(cronJob.status ?? {})) {
        await cronJobClient.namespace(namespace).updateStatus({ ...cronJob, status });
      }
      if (decision.requeueAfterMs !== undefined) queue.addAfter(key, decision.requeueAfterMs);
    };

    const queue = startSyncedWorkLoop(ctx, "cronjob", signal, reconcile);
    cronJobs.addEventHandler({
      onAdd: (c) => queue.add(keyOf(c)),
      onUpdate: (_o, c) => queue.add(keyOf(c)),
    });
    const enqueueOwner = (j: Job): void => {
      const key = ownerKeyOf(j);
      if (key) queue.add(key);
    };
    jobs.addEventHandler({
      onAdd: enqueueOwner,
      onUpdate: (_o, j) => enqueueOwner(j),
      onDelete: (j) => enqueueOwner(unwrapTombstone(j)),
    });
  },
};
