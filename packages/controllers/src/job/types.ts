import type { KubeObject, LabelSelector } from "@kubekit/client";
import type { PodTemplateSpec } from "../common/types.js";

/** batch/v1 JobCondition. */
export interface JobCondition {
  type: "Complete" | "Failed" | "Suspended" | "FailureTarget" | "SuccessCriteriaMet" | string;
  status: "True" | "False" | "Unknown";
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** batch/v1 JobStatus. */
export interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  completedIndexes?: string;
  conditions?: JobCondition[];
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

/** batch/v1 Job, the fields the controller reads. */
export interface Job extends KubeObject {
  spec?: {
    parallelism?: number;
    completions?: number | null;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    ttlSecondsAfterFinished?: number;
    completionMode?: "NonIndexed" | "Indexed";
    suspend?: boolean;
    manualSelector?: boolean;
    selector?: LabelSelector;
    template?: PodTemplateSpec;
    [field: string]: unknown;
  };
  status?: JobStatus;
}

/** The finalizer that keeps a finished pod until the Job has counted it. */
export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
/** The annotation (and label) carrying an Indexed Job pod's completion index. */
export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
/** Upstream's DefaultJobPodFailureBackOff: the first replacement after a failure waits this long. */
export const POD_FAILURE_BACKOFF_MS = 10_000;
/** Upstream's MaxJobPodFailureBackOff. */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
