export type { Indexers, IndexFunc } from "./cache/indexer.js";
export {
  createObjectIndexer,
  Indexer,
  metaNamespaceIndexFunc,
  NAMESPACE_INDEX,
} from "./cache/indexer.js";
export type {
  InformerForOptions,
  ResourceClientSource,
  SharedInformerFactoryOptions,
} from "./cache/informer-factory.js";
export { SharedInformerFactory } from "./cache/informer-factory.js";
export type { KeyFunc } from "./cache/keys.js";
export {
  DeletedFinalStateUnknown,
  deletionHandlingKeyFunc,
  metaNamespaceKeyFunc,
  splitMetaNamespaceKey,
} from "./cache/keys.js";
export type { Lister, NamespaceLister, SelectorInput } from "./cache/lister.js";
export { createLister } from "./cache/lister.js";
export type { ListerWatcher, ListOptions, WatchOptions } from "./cache/lister-watcher.js";
export type { ReflectorOptions, ReflectorStore } from "./cache/reflector.js";
export { INITIAL_EVENTS_END_ANNOTATION, Reflector } from "./cache/reflector.js";
export type {
  HandlerRegistration,
  ResourceEventHandler,
  SharedInformerOptions,
} from "./cache/shared-informer.js";
export { SharedInformer, waitForCacheSync } from "./cache/shared-informer.js";
export type { Clock, TimerHandle } from "./clock/clock.js";
export { realClock, sleep } from "./clock/clock.js";
export { FakeClock, settle } from "./clock/fake-clock.js";
export type { RunWorkersOptions } from "./controller/run-workers.js";
export { runWorkers } from "./controller/run-workers.js";
export type { DiscoveredResource } from "./discovery/discovery-client.js";
export { DiscoveryClient } from "./discovery/discovery-client.js";
export type { GroupVersionKind } from "./discovery/rest-mapper.js";
export { NoMatchError, RestMapper } from "./discovery/rest-mapper.js";
export type {
  APIGroup,
  APIGroupList,
  APIResource,
  APIResourceList,
  APIVersions,
  GroupVersionForDiscovery,
} from "./discovery/types.js";
export {
  findStatusError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isGoneOrExpired,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotFound,
  isResourceExpired,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  retryAfterSeconds,
} from "./errors/predicates.js";
export type { StatusReasonValue } from "./errors/status-error.js";
export {
  reasonForCode,
  StatusError,
  StatusReason,
  statusErrorFromResponse,
} from "./errors/status-error.js";
export type { Correlation, CorrelatorOptions } from "./events/correlator.js";
export { COMBINED_PREFIX, EventCorrelator } from "./events/correlator.js";
export { eventSinkFor } from "./events/event-sink.js";
export type { EventRecorderOptions } from "./events/recorder.js";
export { EventRecorder, referenceTo } from "./events/recorder.js";
export type {
  CoreEvent,
  EventRepeatPatch,
  EventSink,
  EventSource,
  EventType,
  ObjectReference,
} from "./events/types.js";
export type { InClusterOptions } from "./kubeconfig/in-cluster.js";
export { inClusterConfig, SERVICE_ACCOUNT_DIR } from "./kubeconfig/in-cluster.js";
export { KubeconfigError } from "./kubeconfig/kubeconfig-error.js";
export type { LoadKubeconfigOptions } from "./kubeconfig/load.js";
export { loadKubeconfig, loadKubeconfigFile } from "./kubeconfig/load.js";
export { mergeKubeconfigs } from "./kubeconfig/merge.js";
export { parseKubeconfig } from "./kubeconfig/parse.js";
export type { KubeconfigCredentials, KubeconfigSpec } from "./kubeconfig/render.js";
export { renderKubeconfig, writeKubeconfig } from "./kubeconfig/render.js";
export type { RestConfigOptions } from "./kubeconfig/rest-config-from-kubeconfig.js";
export { restConfigFromKubeconfig } from "./kubeconfig/rest-config-from-kubeconfig.js";
export type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
} from "./kubeconfig/types.js";
export { InMemoryLease } from "./leaderelection/in-memory-lease.js";
export type { LeaderCallbacks, LeaderElectorOptions } from "./leaderelection/leader-elector.js";
export { LeaderElector } from "./leaderelection/leader-elector.js";
export type { Lease, LeaseClient, LeaseSpec } from "./leaderelection/lease.js";
export { formatMicroTime } from "./leaderelection/lease.js";
export { leaseClientFor } from "./leaderelection/lease-client.js";
export type {
  LabelSelector,
  LabelSelectorRequirement,
  Requirement,
  Selector,
} from "./meta/labels.js";
export {
  formatLabelSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorMatches,
} from "./meta/labels.js";
export { getControllerOf, isControlledBy, newControllerRef } from "./meta/owner-references.js";
export { Resources } from "./meta/resources.js";
export type {
  GroupVersionResource,
  KubeList,
  KubeObject,
  ListMeta,
  ObjectMeta,
  OwnerReference,
  Status,
  StatusCause,
  StatusDetails,
  WatchEvent,
  WatchEventType,
} from "./meta/types.js";
export { createDynamicClient, DynamicClient, listerWatcherFor } from "./rest/dynamic-client.js";
export type { HttpClientOptions } from "./rest/http-client.js";
export { HttpClient } from "./rest/http-client.js";
export { decodeNdjson, decodeWatchEvents, toWatchEvent } from "./rest/ndjson.js";
export type { QueryParams, ResourcePathOptions } from "./rest/paths.js";
export { groupVersionPath, queryString, resourcePath } from "./rest/paths.js";
export type { PreparedRequest, RequestSpec } from "./rest/request.js";
export { buildRequest } from "./rest/request.js";
export type {
  DeleteOptions,
  GetOptions,
  PatchOptions,
  PatchType,
  WriteOptions,
} from "./rest/resource-client.js";
export { PATCH_CONTENT_TYPES, ResourceClient } from "./rest/resource-client.js";
export type { AuthConfig, RestConfig, TlsConfig } from "./rest/rest-config.js";
export { clockTimeout, RequestThrottle } from "./rest/throttle.js";
export type { BackoffOptions } from "./util/backoff.js";
export { ExponentialBackoff } from "./util/backoff.js";
export type { RetryBackoff } from "./util/retry.js";
export { DEFAULT_RETRY, retryOnConflict } from "./util/retry.js";
export { DelayingQueue } from "./workqueue/delaying-queue.js";
export type { GetResult } from "./workqueue/queue.js";
export { WorkQueue } from "./workqueue/queue.js";
export type { RateLimiter } from "./workqueue/rate-limiters.js";
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
} from "./workqueue/rate-limiters.js";
export type { RateLimitingQueueOptions } from "./workqueue/rate-limiting-queue.js";
export { RateLimitingQueue } from "./workqueue/rate-limiting-queue.js";
