export { cronJobController, cronJobControllerRef, newScheduledJob } from "./controller.js";
export type { CronJobDecision } from "./decide-cronjob.js";
export { decideCronJob, jobNameFor } from "./decide-cronjob.js";
export type { Schedule, ScheduleResult } from "./schedule.js";
export { missedRuns, parseSchedule } from "./schedule.js";
export type { CronJob, JobReference } from "./types.js";
export { SCHEDULED_TIMESTAMP_ANNOTATION } from "./types.js";
