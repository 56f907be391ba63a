import { arr, containersAndImages, formatLabelSelector, get, num, str } from "../format.js";
import { age, humanDuration } from "../human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "../table.js";

const CONTAINERS = column(
  "Containers",
  "string",
  "Names of the containers in the pod template.",
  1,
);
const IMAGES = column("Images", "string", "Images of the containers in the pod template.", 1);
const SELECTOR = column("Selector", "string", "The label selector of the job's pods.", 1);

function jobStatus(job: unknown): string {
  const conditions = arr(get(job, "status"), "conditions").filter(
    (c) => str(c, "status") === "True",
  );
  const has = (type: string): boolean => conditions.some((c) => str(c, "type") === type);
  if (has("Complete")) return "Complete";
  if (has("Failed")) return "Failed";
  if (get(job, "metadata", "deletionTimestamp")) return "Terminating";
  if (has("SuccessCriteriaMet")) return "SuccessCriteriaMet";
  if (has("FailureTarget")) return "FailureTarget";
  if (has("Suspended")) return "Suspended";
  return "Running";
}

function completions(job: unknown): string {
  const succeeded = num(get(job, "status"), "succeeded");
  const wanted = get(job, "spec", "completions");
  if (typeof wanted === "number") return `${succeeded}/${wanted}`;
  const parallelism = num(get(job, "spec"), "parallelism");
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Jobs: Name, Status, Completions, Duration, Age, Containers, Images, Selector. */
export const jobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "The job's state."),
    column("Completions", "string", "Succeeded pods out of wanted completions."),
    column("Duration", "string", "How long the job ran."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(obj, now) {
    const [containers, images] = containersAndImages(get(obj.spec, "template", "spec"));
    const start = Date.parse(str(obj.status, "startTime"));
    const end = Date.parse(str(obj.status, "completionTime"));
    let duration = "";
    if (!Number.isNaN(start))
      duration = humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
    return [
      obj.metadata?.name ?? "",
      jobStatus(obj),
      completions(obj),
      duration,
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(get(obj.spec, "selector")),
    ];
  },
};

/** CronJobs: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, Containers, Images, Selector. */
export const cronJobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Schedule", "string", "The cron schedule."),
    column("Timezone", "string", "The time zone the schedule is read in."),
    column("Suspend", "boolean", "Whether new runs are suspended."),
    column("Active", "integer", "Jobs running now."),
    column("Last Schedule", "string", "When a job was last scheduled."),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(obj, now) {
    const jobSpec = get(obj.spec, "jobTemplate", "spec");
    const [containers, images] = containersAndImages(get(jobSpec, "template", "spec"));
    const last = str(obj.status, "lastScheduleTime");
    return [
      obj.metadata?.name ?? "",
      str(obj.spec, "schedule"),
      str(obj.spec, "timeZone") || "<none>",
      get(obj.spec, "suspend") === true,
      arr(obj.status, "active").length,
      last === "" ? "<none>" : age(last, now),
      age(obj.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(get(jobSpec, "selector")),
    ];
  },
};
