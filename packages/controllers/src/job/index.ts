export { jobController, jobControllerRef, newJobPod } from "./controller.js";
export type { BackoffRecord, JobDecision, JobEvent, JobInput } from "./decide-job.js";
export { decideJob, podFailureBackoffMs } from "./decide-job.js";
export { completionIndexOf, formatIndexes, parseIndexes } from "./indexes.js";
export { isJobFinished, jobFinishTime, setCondition, trueCondition } from "./job-conditions.js";
export { hasTrackingFinalizer, podOutcome } from "./pod-outcome.js";
export { ttlAfterFinishedController, ttlExpiry } from "./ttl-after-finished.js";
export type { Job, JobCondition, JobStatus } from "./types.js";
export { COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER } from "./types.js";
