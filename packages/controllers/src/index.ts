/**
 * @kubekit/controllers — the controller-manager: level-triggered
 * reconcilers on `@kubekit/client` informers and workqueues.
 */
export type {
  ControllerContext,
  ControllerDescriptor,
  ControllerSettings,
} from "./controller.js";
export type { CronJob } from "./cronjob/index.js";
export { cronJobController, decideCronJob, parseSchedule } from "./cronjob/index.js";
export type { DaemonSet } from "./daemonset/index.js";
export { daemonSetController, decideDaemonSet } from "./daemonset/index.js";
export type { Endpoints } from "./endpoints/index.js";
export { desiredSubsets, endpointsController } from "./endpoints/index.js";
export type { EndpointSlice } from "./endpointslice/index.js";
export { endpointSliceController, planSlices } from "./endpointslice/index.js";
export {
  decideDependent,
  garbageCollectorController,
  OwnerGraph,
} from "./garbagecollector/index.js";
export type { Job } from "./job/index.js";
export { decideJob, jobController, ttlAfterFinishedController } from "./job/index.js";
export { nodeLifecycleController, taintEvictionController } from "./nodelifecycle/index.js";
export { allControllers } from "./registry.js";
export { workloadControllers } from "./registry-workloads.js";
export type { ResourceQuota } from "./resourcequota/index.js";
export { computeUsed, resourceQuotaController } from "./resourcequota/index.js";
export type { StatefulSet } from "./statefulset/index.js";
export { decideStatefulSet, statefulSetController } from "./statefulset/index.js";
