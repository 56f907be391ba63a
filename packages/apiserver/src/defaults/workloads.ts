import { defaultPodTemplate } from "./pod.js";
import { child, type Obj, setDefault } from "./util.js";

function template(spec: Obj): void {
  defaultPodTemplate(child(spec, "template"));
}

/** apps/v1 Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
export function defaultDeployment(obj: Obj): void {
  const spec = child(obj, "spec");
  setDefault(spec, "replicas", 1);
  const strategy = child(spec, "strategy");
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const ru = child(strategy, "rollingUpdate");
    setDefault(ru, "maxUnavailable", "25%");
    setDefault(ru, "maxSurge", "25%");
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  template(spec);
}

/** apps/v1 ReplicaSet and core/v1 ReplicationController: replicas 1. */
export function defaultReplicaSet(obj: Obj): void {
  const spec = child(obj, "spec");
  setDefault(spec, "replicas", 1);
  template(spec);
}

/** apps/v1 StatefulSet: replicas 1, OrderedReady, RollingUpdate partition 0, history 10, PVC retention Retain. */
export function defaultStatefulSet(obj: Obj): void {
  const spec = child(obj, "spec");
  setDefault(spec, "replicas", 1);
  setDefault(spec, "podManagementPolicy", "OrderedReady");
  const strategy = child(spec, "updateStrategy");
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate")
    setDefault(child(strategy, "rollingUpdate"), "partition", 0);
  setDefault(spec, "revisionHistoryLimit", 10);
  const retention = child(spec, "persistentVolumeClaimRetentionPolicy");
  setDefault(retention, "whenDeleted", "Retain");
  setDefault(retention, "whenScaled", "Retain");
  template(spec);
}

/** apps/v1 DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10. */
export function defaultDaemonSet(obj: Obj): void {
  const spec = child(obj, "spec");
  const strategy = child(spec, "updateStrategy");
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const ru = child(strategy, "rollingUpdate");
    setDefault(ru, "maxUnavailable", 1);
    setDefault(ru, "maxSurge", 0);
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  template(spec);
}

/** batch/v1 Job: completions and parallelism 1, backoffLimit 6, NonIndexed, not suspended. */
export function defaultJob(obj: Obj): void {
  const spec = child(obj, "spec");
  // Upstream sets completions only when neither count was given: a Job with
  // parallelism alone is a work queue with no fixed completion count.
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "backoffLimit", 6);
  setDefault(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  setDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
  template(spec);
}

/** batch/v1 CronJob: concurrencyPolicy Allow, not suspended, history limits 3 and 1. */
export function defaultCronJob(obj: Obj): void {
  const spec = child(obj, "spec");
  setDefault(spec, "concurrencyPolicy", "Allow");
  setDefault(spec, "suspend", false);
  setDefault(spec, "successfulJobsHistoryLimit", 3);
  setDefault(spec, "failedJobsHistoryLimit", 1);
  const jobTemplate = child(spec, "jobTemplate");
  const jobSpec = child(jobTemplate, "spec");
  // The Job's own defaults are applied when the CronJob controller creates it.
  template(jobSpec);
}
