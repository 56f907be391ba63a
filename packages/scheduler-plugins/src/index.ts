/**
 * `@kubekit/scheduler-plugins`: kubekit's scheduling framework: the
 * extension point interfaces, the runtime that runs a profile's plugins,
 * the default plugins, the scheduling queue, KubeSchedulerConfiguration
 * parsing, and out-of-process plugins over `kubekit.scheduler.v1`.
 *
 * @packageDocumentation
 */

export { parseMilliValue, parseValue } from "./api/quantity.js";
// Kubernetes object shapes and quantities
export type * from "./api/types.js";
export { podKey } from "./api/types.js";
// The `kubekit scheduler` command
export {
  createSchedulerCommand,
  type SchedulerCommand,
  type SchedulerCommandOptions,
  schedulerCommand,
} from "./command/index.js";
// Configuration
export { buildFrameworks } from "./config/build.js";
export { DEFAULT_MULTI_POINT, DEFAULT_SCHEDULER_NAME } from "./config/defaults.js";
export {
  API_VERSION,
  type ArgsValidator,
  ConfigError,
  defaultSchedulerConfiguration,
  type ParseOptions,
  parseSchedulerConfiguration,
  type SchedulerConfiguration,
  schedulerConfigurationFrom,
} from "./config/parse.js";
// The framework
export { CycleState, type StateData } from "./framework/cycle-state.js";
export {
  Framework,
  FrameworkError,
  MAX_PERMIT_TIMEOUT_MS,
  type NodePluginScores,
  type PreFilterOutcome,
} from "./framework/framework.js";
export {
  type Binder,
  type Clock,
  type Handle,
  type NamespaceLister,
  type PdbLister,
  type RandomSource,
  seededRandom,
  systemClock,
} from "./framework/handle.js";
export { type HostPort, HostPortSet, podHostPorts } from "./framework/host-ports.js";
export * from "./framework/interfaces.js";
export {
  type ImageState,
  NodeInfo,
  newPodInfo,
  type PodInfo,
  samePod,
} from "./framework/node-info.js";
export {
  emptyPluginSets,
  expandProfile,
  type PluginRef,
  type PluginSet,
  type PluginSets,
  type Profile,
} from "./framework/profile.js";
export { type PluginFactory, Registry, RegistryError } from "./framework/registry.js";
export {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  podRequests,
  type Resource,
  resourceFromList,
} from "./framework/resource.js";
export { type NodeInfoLister, Snapshot } from "./framework/snapshot.js";
export { asStatus, Code, Status, status, success } from "./framework/status.js";
export { WaitingPod, WaitingPods } from "./framework/waiting-pods.js";
// Selector helpers plugins commonly need
export {
  matchesLabelSelector,
  matchesNodeSelector,
  matchesNodeSelectorTerm,
  podMatchesNodeSelectorAndAffinity,
} from "./helpers/labels.js";
export { defaultNormalizeScore } from "./helpers/normalize.js";
export { findUntoleratedTaint, toleratesTaint } from "./helpers/taints.js";
// In-process plugins by package name
export {
  loadPluginPackage,
  type ModuleImporter,
  PluginLoadError,
  registerPluginPackages,
} from "./loading/load-plugin-package.js";
// The default plugins
export { inTreeArgsValidators } from "./plugins/args-validators.js";
export * as DefaultBinder from "./plugins/default-binder/index.js";
export * as ImageLocality from "./plugins/image-locality/index.js";
export * as InterPodAffinity from "./plugins/inter-pod-affinity/index.js";
export * as NodeAffinity from "./plugins/node-affinity/index.js";
export * as NodeName from "./plugins/node-name/index.js";
export * as NodePorts from "./plugins/node-ports/index.js";
export * as NodeResourcesBalancedAllocation from "./plugins/node-resources-balanced-allocation/index.js";
export * as NodeResourcesFit from "./plugins/node-resources-fit/index.js";
export * as NodeUnschedulable from "./plugins/node-unschedulable/index.js";
export * as PodTopologySpread from "./plugins/pod-topology-spread/index.js";
export * as PrioritySort from "./plugins/priority-sort/index.js";
export { inTreeRegistry } from "./plugins/registry.js";
export * as SchedulingGates from "./plugins/scheduling-gates/index.js";
export * as TaintToleration from "./plugins/taint-toleration/index.js";
// The queue
export { type ClusterEvent, IN_TREE_QUEUEING_HINTS, type QueueingHint } from "./queue/events.js";
export {
  DEFAULT_INITIAL_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_UNSCHEDULABLE_TIMEOUT_MS,
  type QueueName,
  SchedulingQueue,
  type SchedulingQueueOptions,
} from "./queue/scheduling-queue.js";
// Out-of-process plugins
export {
  loadRemotePlugin,
  type RemotePluginInfo,
  remotePlugin,
  type SchedulerPluginClient,
} from "./remote/remote-plugin.js";
// The scheduler on a real apiserver, for embedders
export {
  bindingFor,
  DEFAULT_SCHEDULER_LEADER_ELECTION,
  LeaderElectionLostError,
  type RunSchedulerOptions,
  runScheduler,
  type SchedulerLeaderElection,
} from "./runner/run-scheduler.js";
// The scheduling cycle
export { SchedulerCache } from "./scheduler/cache.js";
export {
  type Diagnosis,
  FitError,
  NO_NODES_AVAILABLE,
  reasonHistogram,
} from "./scheduler/fit-error.js";
// The scheduler as a whole (informer handlers in, events out)
export {
  type AttemptOutcome,
  type AttemptResult,
  KubeScheduler,
  type KubeSchedulerOptions,
  type SchedulerEvent,
} from "./scheduler/kube-scheduler.js";
export {
  type ScheduleResult,
  Scheduler,
  type SchedulerHooks,
  type SchedulingFailure,
} from "./scheduler/scheduler.js";
export { numFeasibleNodesToFind, selectHost } from "./scheduler/select-host.js";
