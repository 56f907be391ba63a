import { REQUIRED, type TypeTable } from "../type-description.js";
import { kindType } from "./core.js";

const atomic = { listType: "atomic" } as const;
const selector = [
  "meta.v1.LabelSelector",
  "Labels of the pods it manages; must match the template's labels and cannot change.",
  REQUIRED,
] as const;
const template = ["core.v1.PodTemplateSpec", "The pods it creates.", REQUIRED] as const;

/** apps/v1 and batch/v1. */
export const WORKLOAD_TYPES: TypeTable = {
  "apps.v1.Deployment": kindType("Declarative updates of pods through ReplicaSets.", {
    spec: ["DeploymentSpec", "The desired pods and how to roll out changes."],
    status: ["raw", "The rollout's observed state."],
  }),
  "apps.v1.DeploymentSpec": {
    doc: "The desired state of a Deployment.",
    fields: {
      replicas: ["int32", "How many pods to run; 1 by default."],
      selector,
      template,
      strategy: [
        "DeploymentStrategy",
        "How old pods are replaced by new ones.",
        { patch: "retainKeys" },
      ],
      minReadySeconds: ["int32", "Seconds a new pod must be ready to count as available."],
      revisionHistoryLimit: ["int32", "How many old ReplicaSets to keep for rollback."],
      paused: ["boolean", "Stop rolling out changes to the template."],
      progressDeadlineSeconds: [
        "int32",
        "Seconds without progress before the rollout is reported failed.",
      ],
    },
  },
  "apps.v1.DeploymentStrategy": {
    doc: "How a Deployment replaces its pods.",
    fields: {
      type: ["string", "Recreate, or RollingUpdate (the default)."],
      rollingUpdate: ["RollingUpdateDeployment", "Bounds of a rolling update."],
    },
  },
  "apps.v1.RollingUpdateDeployment": {
    doc: "How far a rolling update may stray from the desired replicas.",
    fields: {
      maxUnavailable: [
        "int-or-string",
        "Pods that may be unavailable during the update, a number or a percentage.",
      ],
      maxSurge: [
        "int-or-string",
        "Pods that may exist beyond the desired count, a number or a percentage.",
      ],
    },
  },
  "apps.v1.ReplicaSet": kindType("Keeps a number of identical pods running.", {
    spec: ["ReplicaSetSpec", "The desired replicas and their template."],
    status: ["raw", "The observed replicas."],
  }),
  "apps.v1.ReplicaSetSpec": {
    doc: "The desired state of a ReplicaSet.",
    fields: {
      replicas: ["int32", "How many pods to run; 1 by default."],
      minReadySeconds: ["int32", "Seconds a new pod must be ready to count as available."],
      selector,
      template: ["core.v1.PodTemplateSpec", "The pods it creates."],
    },
  },
  "apps.v1.StatefulSet": kindType(
    "Pods with stable names and storage, started and updated in order.",
    {
      spec: ["StatefulSetSpec", "The desired pods, their claims and update strategy."],
      status: ["raw", "The observed pods."],
    },
  ),
  "apps.v1.StatefulSetSpec": {
    doc: "The desired state of a StatefulSet.",
    fields: {
      replicas: ["int32", "How many pods to run; 1 by default."],
      selector,
      template,
      volumeClaimTemplates: [
        "core.v1.PersistentVolumeClaim[]",
        "Claims made for each pod.",
        atomic,
      ],
      serviceName: ["string", "The headless Service that gives the pods their DNS names."],
      podManagementPolicy: ["string", "OrderedReady or Parallel."],
      updateStrategy: [
        "StatefulSetUpdateStrategy",
        "How pods are replaced when the template changes.",
      ],
      revisionHistoryLimit: ["int32", "How many old revisions to keep."],
      minReadySeconds: ["int32", "Seconds a new pod must be ready to count as available."],
      persistentVolumeClaimRetentionPolicy: [
        "raw",
        "Whether claims are deleted with the set or on scale down.",
      ],
      ordinals: ["raw", "The first ordinal of the pod names."],
    },
  },
  "apps.v1.StatefulSetUpdateStrategy": {
    doc: "How a StatefulSet updates its pods.",
    fields: {
      type: ["string", "RollingUpdate or OnDelete."],
      rollingUpdate: ["raw", "The partition and unavailability bound of a rolling update."],
    },
  },
  "apps.v1.DaemonSet": kindType("One pod on every (selected) node.", {
    spec: ["DaemonSetSpec", "The pods and how they are updated."],
    status: ["raw", "The observed pods."],
  }),
  "apps.v1.DaemonSetSpec": {
    doc: "The desired state of a DaemonSet.",
    fields: {
      selector,
      template,
      updateStrategy: [
        "DaemonSetUpdateStrategy",
        "How pods are replaced when the template changes.",
      ],
      minReadySeconds: ["int32", "Seconds a new pod must be ready to count as available."],
      revisionHistoryLimit: ["int32", "How many old revisions to keep."],
    },
  },
  "apps.v1.DaemonSetUpdateStrategy": {
    doc: "How a DaemonSet updates its pods.",
    fields: {
      type: ["string", "RollingUpdate or OnDelete."],
      rollingUpdate: ["raw", "Bounds of a rolling update."],
    },
  },
  "batch.v1.Job": kindType("Pods run until a number of them succeed.", {
    spec: ["JobSpec", "The pods and the completion rules."],
    status: ["raw", "Counts of active, succeeded and failed pods."],
  }),
  "batch.v1.JobSpec": {
    doc: "The desired state of a Job.",
    fields: {
      parallelism: ["int32", "How many pods may run at once."],
      completions: ["int32", "How many pods must succeed."],
      activeDeadlineSeconds: ["int64", "Seconds the job may run before it is failed."],
      backoffLimit: ["int32", "Retries before the job is failed."],
      backoffLimitPerIndex: ["int32", "Retries per index of an Indexed job."],
      maxFailedIndexes: ["int32", "Failed indexes allowed before the job fails."],
      selector: ["meta.v1.LabelSelector", "Labels of the job's pods; generated by default."],
      manualSelector: ["boolean", "Use the given selector instead of a generated one."],
      template,
      ttlSecondsAfterFinished: ["int32", "Seconds after finishing before the job is deleted."],
      completionMode: ["string", "NonIndexed or Indexed."],
      suspend: ["boolean", "Stop creating pods (and delete running ones)."],
      podFailurePolicy: ["raw", "Rules on how pod failures count."],
      successPolicy: ["raw", "Rules that declare the job succeeded early."],
      podReplacementPolicy: [
        "string",
        "When replacement pods are made: TerminatingOrFailed or Failed.",
      ],
      managedBy: ["string", "The controller that manages the job."],
    },
  },
  "batch.v1.CronJob": kindType("Jobs created on a schedule.", {
    spec: ["CronJobSpec", "The schedule and the jobs it creates."],
    status: ["raw", "The active jobs and last schedule times."],
  }),
  "batch.v1.CronJobSpec": {
    doc: "The desired state of a CronJob.",
    fields: {
      schedule: ["string", "When to run, in cron format.", REQUIRED],
      timeZone: ["string", "The time zone of the schedule."],
      startingDeadlineSeconds: ["int64", "Seconds a missed run may still start."],
      concurrencyPolicy: ["string", "Allow, Forbid or Replace: what to do about overlapping runs."],
      suspend: ["boolean", "Stop scheduling new runs."],
      jobTemplate: ["JobTemplateSpec", "The jobs it creates.", REQUIRED],
      successfulJobsHistoryLimit: ["int32", "Finished jobs to keep."],
      failedJobsHistoryLimit: ["int32", "Failed jobs to keep."],
    },
  },
  "batch.v1.JobTemplateSpec": {
    doc: "The jobs a CronJob creates.",
    fields: {
      metadata: ["meta.v1.ObjectMeta", "Metadata of the jobs."],
      spec: ["JobSpec", "Spec of the jobs."],
    },
  },
};
