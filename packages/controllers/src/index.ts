/**
 * @kubekit/controllers — the controller-manager: level-triggered
 * reconcilers on `@kubekit/client` informers and workqueues.
 */

export type {
  ControllerManagerCommand,
  ControllerManagerCommandOptions,
} from "./command/index.js";
export { controllerManagerCommand, createControllerManagerCommand } from "./command/index.js";
export type { ClaimDecision, ClaimOptions } from "./common/claim.js";
export { claimDecision, claimObjects } from "./common/claim.js";
export { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from "./common/expectations.js";
export { isPodActive, isPodAvailable, isPodReady, podReadyCondition } from "./common/pod-status.js";
export type { QueueMetrics } from "./common/queue-metrics.js";
export { ControllerResources } from "./common/resources.js";
export { slowStartBatch } from "./common/slow-start.js";
export { unwrapTombstone } from "./common/tombstone.js";
export type {
  Deployment,
  DeploymentStatus,
  IntOrString,
  Node,
  Pod,
  PodCondition,
  PodTemplateSpec,
  ReplicaSet,
  ReplicaSetStatus,
  WorkloadCondition,
} from "./common/types.js";
export type { WorkLoop } from "./common/work-loop.js";
export { startWorkLoop } from "./common/work-loop.js";
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
export type { ControllerContextOptions } from "./manager/controller-context.js";
export { createControllerContext } from "./manager/controller-context.js";
export type {
  ControllerManagerOptions,
  LeaderElectionSettings,
  ManagerExit,
} from "./manager/controller-manager.js";
export { DEFAULT_LEADER_ELECTION, runControllerManager } from "./manager/controller-manager.js";
export type { ManagerMetrics } from "./manager/metrics.js";
export { createManagerMetrics } from "./manager/metrics.js";
export { runControllers } from "./manager/run-controllers.js";
export { selectControllers, UnknownControllerError } from "./manager/select-controllers.js";
export { nodeLifecycleController, taintEvictionController } from "./nodelifecycle/index.js";
export { allControllers } from "./registry.js";
export { workloadControllers } from "./registry-workloads.js";
export type { ReplicatedKind } from "./replicaset/kind.js";
export { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND } from "./replicaset/kind.js";
export { compareForDeletion, podsToDelete } from "./replicaset/rank-pods.js";
export { startReplicaSetController } from "./replicaset/replica-set-controller.js";
export { calculateStatus } from "./replicaset/replica-status.js";
export type { ResourceQuota } from "./resourcequota/index.js";
export { computeUsed, resourceQuotaController } from "./resourcequota/index.js";
export type { StatefulSet } from "./statefulset/index.js";
export { decideStatefulSet, statefulSetController } from "./statefulset/index.js";
