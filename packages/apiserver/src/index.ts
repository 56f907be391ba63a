/**
 * @kubekit/apiserver — kubekit's Kubernetes API server. A pure core
 * (request parsing, Status errors, the resource catalogue and discovery,
 * selectors, validation, defaulting, object metadata, patching and tables)
 * that does no I/O and reads no clock, and around it the edges: the
 * etcd-backed object store and watch (`storage/`), the watch cache
 * (`cache/`), the HTTPS server
 * (`server/`) and the `kubekit apiserver` command.
 */

export type { Authenticators } from "./auth/authenticate.js";
export { authenticateRequest } from "./auth/authenticate.js";
export type { ClientCertResult } from "./auth/client-cert.js";
export { authenticateClientCert, userFromCertificate } from "./auth/client-cert.js";
export type {
  ResourceCacheStats,
  WatchCacheOptions,
  WatchCacheRegistry,
} from "./cache/cache-registry.js";
export { createWatchCacheRegistry } from "./cache/cache-registry.js";
export type { CachedEvent } from "./cache/event-ring.js";
export { EventRing } from "./cache/event-ring.js";
export type { ListRoute } from "./cache/list-routing.js";
export { routeList } from "./cache/list-routing.js";
export { progressRequestsInOrder } from "./cache/progress-support.js";
export type { CacheSubscriber, Subscription } from "./cache/watch-cache.js";
export { WatchCache } from "./cache/watch-cache.js";
export type { ApiServerCommand, ApiServerCommandOptions } from "./command.js";
export { apiServerCommand, createApiServerCommand, parseEtcdServers } from "./command.js";
export { defaultCrd } from "./crd/crd-defaults.js";
export { indexWithCrds, resourcesOfCrd } from "./crd/crd-resources.js";
export { desiredCrdStatus } from "./crd/crd-status.js";
export type {
  Crd,
  CrdCondition,
  CrdNames,
  CrdVersion,
  PrinterColumn,
  ScaleSubresource,
} from "./crd/crd-types.js";
export { CRD_CLEANUP_FINALIZER } from "./crd/crd-types.js";
export { validateCrd, validateCrdUpdate } from "./crd/crd-validation.js";
export type { CustomResourceInfo } from "./crd/custom-resource-info.js";
export { evaluateJsonPath } from "./crd/json-path.js";
export type { JSONSchemaProps } from "./crd/json-schema.js";
export { defaultCustomResource } from "./crd/schema-default.js";
export { pruneCustomResource } from "./crd/schema-prune.js";
export { validateCustomResource, validateValue } from "./crd/schema-validate.js";
export { structuralErrors } from "./crd/structural-schema.js";
export { applyDefaults } from "./defaults/apply-defaults.js";
export { defaultImagePullPolicy, imageTag } from "./defaults/image-pull-policy.js";
export type {
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIResourceDiscovery,
  APISubresourceDiscovery,
  APIVersionDiscovery,
} from "./discovery/aggregated.js";
export {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
} from "./discovery/aggregated.js";
export type {
  APIGroup,
  APIGroupList,
  APIResource,
  APIResourceList,
  APIVersions,
  GroupVersionForDiscovery,
} from "./discovery/legacy.js";
export {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  storageVersionHash,
} from "./discovery/legacy.js";
export type { DeniedRequest } from "./errors/builders.js";
export {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  forbiddenByAuthorizer,
  generateNameConflict,
  gone,
  internalError,
  invalid,
  methodNotSupported,
  notAcceptable,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  optimisticLockConflict,
  requestEntityTooLarge,
  resourceExpired,
  serverTimeout,
  timeout,
  tooManyRequests,
  unauthorized,
  unprocessable,
  unsupportedMediaType,
} from "./errors/builders.js";
export type {
  CauseType,
  Status,
  StatusCause,
  StatusDetails,
  StatusReason,
} from "./errors/status.js";
export { failure, isStatus, success } from "./errors/status.js";
export type { MetaContext } from "./meta/clock.js";
export { formatTime } from "./meta/clock.js";
export type { DeleteOptions, DeletionDecision, PropagationPolicy } from "./meta/deletion.js";
export {
  decideDeletion,
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  podGracePeriod,
  shouldDeleteAfterUpdate,
} from "./meta/deletion.js";
export type { FieldSet } from "./meta/field-set.js";
export { fieldSetOf, fromFieldsV1, toFieldsV1 } from "./meta/field-set.js";
export { generateName, NAME_SUFFIX_ALPHABET, NAME_SUFFIX_LENGTH } from "./meta/generate-name.js";
export { nextGeneration, tracksGeneration } from "./meta/generation.js";
export type { UpdateOperation } from "./meta/managed-fields.js";
export { managerFromUserAgent, recordUpdate } from "./meta/managed-fields.js";
export { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from "./meta/prepare.js";
export { BUILTIN_TYPES } from "./openapi/builtin-types.js";
export type { OpenApiDocuments, V3Document } from "./openapi/documents.js";
export { buildOpenApiDocuments, groupVersionDocument } from "./openapi/documents.js";
export type { FieldValidationMode } from "./openapi/field-validation.js";
export {
  fieldValidationOutcome,
  parseFieldValidation,
  unknownFields,
} from "./openapi/field-validation.js";
export type {
  Field,
  FieldOptions,
  TypeDescription,
  TypeTable,
} from "./openapi/type-description.js";
export type { KubeList, ListMeta } from "./output/lists.js";
export { toList, toPartialObjectMetadata, toPartialObjectMetadataList } from "./output/lists.js";
export type { PatchResult, PatchType } from "./patch/apply-patch.js";
export { applyPatch, PATCH_CONTENT_TYPES } from "./patch/apply-patch.js";
export type { ListSchema } from "./patch/list-schema.js";
export { listSchemaAt } from "./patch/list-schema.js";
export { applyMergePatch } from "./patch/merge-patch.js";
export { PatchError } from "./patch/patch-error.js";
export { applyStrategicMergePatch } from "./patch/strategic-merge-patch.js";
export { ALL_VERBS, BUILTIN_RESOURCES } from "./registry/catalogue.js";
export type { ResourceDefinition, SubresourceDefinition, Verb } from "./registry/resource.js";
export type { ResourceIndex } from "./registry/resource-index.js";
export { createResourceIndex } from "./registry/resource-index.js";
export {
  CORE_GROUP_SEGMENT,
  DEFAULT_STORAGE_PREFIX,
  parseStorageKey,
  storageKey,
  storageKeyPrefix,
} from "./registry/storage-key.js";
export type { ContinueToken } from "./request/continue-token.js";
export {
  continueExpired,
  decodeContinueToken,
  encodeContinueToken,
} from "./request/continue-token.js";
export type { ParsedDeleteOptions } from "./request/delete-options.js";
export { checkPreconditions, parseDeleteOptions } from "./request/delete-options.js";
export type { DiscoveryPath } from "./request/discovery-path.js";
export { parseDiscoveryPath } from "./request/discovery-path.js";
export type { ListOptions } from "./request/list-options.js";
export { parseListOptions } from "./request/list-options.js";
export type { MediaRange, OutputFormat } from "./request/media-type.js";
export { negotiateOutput, PRODUCED_MEDIA_TYPES, parseAccept } from "./request/media-type.js";
export type { RequestInfo, RequestInfoResult, RequestLine } from "./request/request-info.js";
export { parseRequestInfo } from "./request/request-info.js";
export type {
  FieldRequirement,
  FieldSelector,
  FieldSelectorResult,
} from "./selectors/field-selector.js";
export { fieldSelectorFromRequirements, parseFieldSelector } from "./selectors/field-selector.js";
export { checkFieldsSupported, objectFields, supportedFields } from "./selectors/field-sets.js";
export type { LabelSelectorResult } from "./selectors/label-parser.js";
export { parseLabelSelector } from "./selectors/label-parser.js";
export type { LabelOperator, LabelRequirement } from "./selectors/label-requirement.js";
export {
  matchesRequirement,
  newRequirement,
  requirementString,
} from "./selectors/label-requirement.js";
export type { LabelSelector } from "./selectors/label-selector.js";
export { EVERYTHING, NOTHING, selectorFromRequirements } from "./selectors/label-selector.js";
export type {
  LabelSelectorObject,
  LabelSelectorRequirementObject,
} from "./selectors/label-selector-object.js";
export { labelSelectorFromObject } from "./selectors/label-selector-object.js";
export type { ApiServer, ApiServerOptions } from "./server/api-server.js";
export { createApiServer } from "./server/api-server.js";
export { ensureSystemNamespaces, SYSTEM_NAMESPACES } from "./server/bootstrap-namespaces.js";
export { MAX_BODY_BYTES } from "./server/http-io.js";
export { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from "./server/protobuf-body.js";
export { kubeletErrorStatus } from "./server/proxy/kubelet-status.js";
export type { KubeletClientConfig, KubeletTarget } from "./server/proxy/kubelet-target.js";
export {
  DEFAULT_KUBELET_PORT,
  KUBELET_ADDRESS_TYPES,
  kubeletBaseUrl,
  nodeKubeletTarget,
} from "./server/proxy/kubelet-target.js";
export { kubeletStreamQuery } from "./server/proxy/pod-stream-proxy.js";
export { upgradeHead } from "./server/proxy/raw-upgrade.js";
export type { ServingCert } from "./server/serving-cert.js";
export { ensureServingCert, generateServingCert } from "./server/serving-cert.js";
export type { TokenFileResult, UserInfo } from "./server/token-file.js";
export { authenticateBearer, parseTokenFile } from "./server/token-file.js";
export type {
  CreateGuard,
  ListPage,
  ListRequest,
  ObjectStore,
  StorageFailure,
  StorageResult,
} from "./storage/object-store.js";
export { createObjectStore } from "./storage/object-store.js";
export type {
  PrefixWatch,
  StorageWatchItem,
  StorageWatchRequest,
} from "./storage/watch-stream.js";
export { openPrefixWatch, watchPrefix } from "./storage/watch-stream.js";
export type { WriteContext, WriteResult, WriteTarget } from "./strategy/admission-result.js";
export { admitCreate, admitPatch, admitUpdate } from "./strategy/admit-write.js";
export { checkBody, checkName, checkNamespace } from "./strategy/body-checks.js";
export { podQosClass, withInitialStatus } from "./strategy/initial-status.js";
export type { LifecycleRequest } from "./strategy/namespace-lifecycle.js";
export {
  checkNamespaceLifecycle,
  IMMORTAL_NAMESPACES,
  namespaceDeletion,
} from "./strategy/namespace-lifecycle.js";
export { applyBinding } from "./subresources/binding.js";
export type { PodLogOptions } from "./subresources/pod-log.js";
export { parsePodLogOptions } from "./subresources/pod-log.js";
export type { Scale } from "./subresources/scale.js";
export { applyScale, toScale } from "./subresources/scale.js";
export type { TableOptions } from "./table/convert.js";
export { defaultPrinter, printerFor, toTable } from "./table/convert.js";
export { age, humanDuration } from "./table/human-duration.js";
export type {
  IncludeObject,
  RowPrinter,
  Table,
  TableCell,
  TableColumnDefinition,
  TableRow,
} from "./table/table.js";
export type { GroupKind, GroupResource } from "./types/group-version.js";
export { groupVersionString, parseApiVersion, qualifiedName } from "./types/group-version.js";
export type {
  JsonObject,
  JsonValue,
  KubeObject,
  ManagedFieldsEntry,
  ObjectMeta,
  OwnerReference,
} from "./types/object.js";
export { deepCopy, isRecord, jsonEqual } from "./types/object.js";
export {
  isConfigMapKey,
  MAX_CONFIG_DATA_BYTES,
  validateConfigData,
} from "./validation/config-data.js";
export type { FieldError, FieldErrorType } from "./validation/field-error.js";
export {
  aggregateFieldErrors,
  duplicate,
  errorBody,
  fieldErrorString,
  forbiddenField,
  invalidStatus,
  invalidValue,
  notFoundField,
  notSupported,
  required,
  toCauses,
  tooLong,
  tooMany,
} from "./validation/field-error.js";
export { FieldPath } from "./validation/field-path.js";
export {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortNum,
} from "./validation/names.js";
export type { MetaRules, NameValidator } from "./validation/object-meta.js";
export {
  nameValidatorFor,
  validateAnnotations,
  validateLabels,
  validateObjectMetaCreate,
  validateObjectMetaUpdate,
} from "./validation/object-meta.js";
export {
  POD_UPDATE_FORBIDDEN_MESSAGE,
  validatePodSpec,
  validatePodSpecUpdate,
} from "./validation/pod-spec.js";
export { validateResourceRequirements } from "./validation/resources.js";
export {
  isValidPortName,
  validateServiceSpec,
  validateServiceUpdate,
} from "./validation/service.js";
export { toInvalidStatus, validateCreate, validateUpdate } from "./validation/validate.js";
export type { ObjectPredicate, StoredChange } from "./watch/filter.js";
export { listPredicate, watchEventFor } from "./watch/filter.js";
export type { WatchEvent, WatchEventType } from "./watch/watch-event.js";
export { bookmarkEvent, errorEvent, INITIAL_EVENTS_END_ANNOTATION } from "./watch/watch-event.js";
