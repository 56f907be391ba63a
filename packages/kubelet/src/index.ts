export type {
  KubeletLogger,
  KubeletOptions,
  ObjectInformers,
} from "./agent/kubelet.js";
export { createObjectInformers, Kubelet } from "./agent/kubelet.js";
export type { MirrorPodActions, MirrorPodSync } from "./agent/mirror-pods.js";
export { syncMirrorPods } from "./agent/mirror-pods.js";
export type { PodStatusManagerOptions } from "./agent/status-manager.js";
export { PodStatusManager } from "./agent/status-manager.js";
export type * from "./api/types.js";
export {
  parseDuration,
  parseResolvConf,
  parseUnixEndpoint as parseCriEndpoint,
} from "./command/flags.js";
export type {
  KubeletCommand,
  KubeletCommandOptions,
  KubeletServerContext,
  StartKubeletServer,
} from "./command/index.js";
export { createKubeletCommand, kubeletCommand } from "./command/index.js";
export type { ContainerConfigInput } from "./cri/container-config.js";
export {
  containerAnnotations,
  containerConfig,
  containerHash,
  containerLabels,
  containerLogPath,
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
  DEFAULT_TERMINATION_MESSAGE_PATH,
} from "./cri/container-config.js";
export type { DnsSettings } from "./cri/dns.js";
export { HOST_ONLY_DNS, podDnsConfig } from "./cri/dns.js";
export type { ResolvedEnv } from "./cri/env.js";
export { fieldPathValue, resolveEnv, resourceFieldValue } from "./cri/env.js";
export { expandVariables } from "./cri/expand.js";
export * from "./cri/labels.js";
export type { ObjectLookup, PodFacts } from "./cri/lookup.js";
export { ContainerConfigError, EMPTY_LOOKUP } from "./cri/lookup.js";
export type { ResourceContext } from "./cri/resources.js";
export {
  linuxContainerResources,
  milliCpuToQuota,
  milliCpuToShares,
  oomScoreAdj,
} from "./cri/resources.js";
export type { SandboxOptions } from "./cri/sandbox-config.js";
export {
  DEFAULT_POD_LOGS_ROOT,
  podHostname,
  podLogDirectory,
  podSandboxConfig,
  sandboxLabels,
} from "./cri/sandbox-config.js";
export type { BackoffOptions } from "./lifecycle/backoff.js";
export { Backoff, CONTAINER_BACKOFF, IMAGE_PULL_BACKOFF } from "./lifecycle/backoff.js";
export type { Clock } from "./lifecycle/clock.js";
export { FakeClock, SYSTEM_CLOCK } from "./lifecycle/clock.js";
export { shouldRestart } from "./lifecycle/restart-policy.js";
export type { HostFacts } from "./node/host-facts.js";
export { goArch, parseMemTotal, parsePrettyName, readHostFacts } from "./node/host-facts.js";
export type { NodeAgentOptions, NodeLogger } from "./node/node-agent.js";
export { NodeAgent } from "./node/node-agent.js";
export { chooseNodeIP } from "./node/node-ip.js";
export type { NodeLease } from "./node/node-lease.js";
export {
  desiredNodeLease,
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_NAMESPACE,
  NODE_LEASE_RENEW_INTERVAL_MS,
  renewNodeLease,
} from "./node/node-lease.js";
export type { NodeConfig, RuntimeHealth } from "./node/node-status.js";
export {
  buildNodeStatus,
  initialNode,
  KUBELET_VERSION,
  MAX_NODE_STATUS_IMAGES,
  nodeLabels,
  nodeResources,
  nodeStatusChanged,
  parseLabels,
  parseTaints,
  readyCondition,
  shouldReportNodeStatus,
} from "./node/node-status.js";
export { registerNode } from "./node/register-node.js";
export { readRuntimeHealth } from "./node/runtime-health.js";
export type * from "./node/types.js";
export type { ProbeExecutor, ProbeTarget } from "./probe/executors.js";
export { createProbeExecutor, httpGetProbe, tcpSocketProbe } from "./probe/executors.js";
export {
  GrpcHealthCheckResponseSchema,
  GrpcHealthService,
  grpcHealthProbe,
} from "./probe/grpc-health.js";
export type { ProbeKind, ProbeResult, ProbeSettings } from "./probe/probe-state.js";
export { initialResult, ProbeState, probeSettings } from "./probe/probe-state.js";
export { podCgroupParent } from "./runtime/cgroups.js";
export { effectivePullPolicy, ImagePullError } from "./runtime/image-puller.js";
export type { BackoffShape, EngineLogger, PodEngineOptions } from "./runtime/pod-engine.js";
export { PodEngine } from "./runtime/pod-engine.js";
export type { PodSource, StatusSink } from "./runtime/seams.js";
export { RecordingStatusSink, StaticPodSource } from "./runtime/seams.js";
export type { ContainerInstance, ContainerLocator } from "./server/container-locator.js";
export { createCriContainerLocator } from "./server/container-locator.js";
export { pickLogInstance } from "./server/container-logs.js";
export type { CriLogRecord, LogLine, LogStream } from "./server/cri-log.js";
export { CriLogDecoder, parseCriLogRecord } from "./server/cri-log.js";
export type { KubeletServer, KubeletServerOptions } from "./server/kubelet-server.js";
export { createKubeletServer } from "./server/kubelet-server.js";
export type { ContainerLogOptions } from "./server/log-options.js";
export { parseContainerLogOptions } from "./server/log-options.js";
export {
  ByteBudget,
  formatLogLine,
  passesSince,
  selectInitialLines,
} from "./server/log-selection.js";
export type { LogStreamTarget } from "./server/log-stream.js";
export { streamContainerLog } from "./server/log-stream.js";
export type { RunningPod } from "./server/running-pods.js";
export { runningPods } from "./server/running-pods.js";
export type { KubeletServingCert } from "./server/serving-cert.js";
export { selfSignedKubeletCert } from "./server/serving-cert.js";
export type { StreamRequest } from "./server/stream-request.js";
export { parseStreamRequest } from "./server/stream-request.js";
export { proxyUpgrade, upgradeRequestHead } from "./server/upgrade-proxy.js";
export { informerObjectLookup } from "./sources/api-object-lookup.js";
export type { ApiPodSourceOptions } from "./sources/api-pod-source.js";
export { ApiPodSource } from "./sources/api-pod-source.js";
export { CombinedPodSource, FilePodSource } from "./sources/file-pod-source.js";
export { podUpdateNeedsSync } from "./sources/pod-change.js";
export {
  CONFIG_HASH_ANNOTATION,
  CONFIG_MIRROR_ANNOTATION,
  CONFIG_SOURCE_ANNOTATION,
  isMirrorPod,
  isStaticPod,
  mirrorMatches,
  mirrorPodFor,
  staticPodFromManifest,
} from "./sources/static-pods.js";
export type { PodStatusInput } from "./status/pod-status.js";
export { computePodStatus, podPhase } from "./status/pod-status.js";
export { podQosClass } from "./status/qos.js";
export {
  KUBELET_POD_CONDITIONS,
  podStatusPatch,
  reconcilePodStatus,
} from "./status/status-patch.js";
export type {
  ContainerRecord,
  PodRuntimeView,
  RuntimeContainer,
  RuntimeContainerState,
  RuntimeSandbox,
  WaitingReason,
} from "./status/view.js";
export {
  containerMounts,
  podDirectory,
  preparePodVolumes,
  volumeDirectory,
} from "./volumes/volumes.js";
