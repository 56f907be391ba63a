export {
  QuantityParseError,
  quantityDivide,
  quantityMilliValue,
  quantityValue,
} from "./api/quantity.js";
export type * from "./api/types.js";
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
export type { PodStatusInput } from "./status/pod-status.js";
export { computePodStatus, podPhase } from "./status/pod-status.js";
export { podQosClass } from "./status/qos.js";
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
