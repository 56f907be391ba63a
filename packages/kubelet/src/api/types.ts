/**
 * The slice of the Kubernetes core/v1 API the kubelet reads and writes, as the
 * plain JSON the REST API carries. Only the fields this package uses are typed;
 * unknown fields pass through untouched because these are structural types.
 */

/** A resource quantity as the API spells it: `"100m"`, `"64Mi"`, `"1"`, or a bare number. */
export type Quantity = string | number;

/** `metadata` of any object. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  resourceVersion?: string;
}

/** `spec.containers[].env[].valueFrom.fieldRef`. */
export interface ObjectFieldSelector {
  apiVersion?: string;
  fieldPath: string;
}

/** `valueFrom.resourceFieldRef`: a container's request or limit, scaled by `divisor`. */
export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: Quantity;
}

/** A key of a ConfigMap or Secret. */
export interface KeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

/** One `env` entry. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: ObjectFieldSelector;
    resourceFieldRef?: ResourceFieldSelector;
    configMapKeyRef?: KeySelector;
    secretKeyRef?: KeySelector;
  };
}

/** One `envFrom` entry. */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

/** `ports[]` of a container. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
}

/** `resources` of a container. */
export interface ResourceRequirements {
  limits?: Record<string, Quantity>;
  requests?: Record<string, Quantity>;
}

/** `volumeMounts[]` of a container. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

/** What a probe or a lifecycle hook runs. */
export interface ProbeHandler {
  exec?: { command: string[] };
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: "HTTP" | "HTTPS";
    httpHeaders?: { name: string; value: string }[];
  };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
}

/** A liveness, readiness or startup probe. */
export interface Probe extends ProbeHandler {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

/** `lifecycle` hooks of a container. */
export interface Lifecycle {
  postStart?: ProbeHandler;
  preStop?: ProbeHandler & { sleep?: { seconds: number } };
}

/** Linux security settings of a container. */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

/** Pod-level security settings. */
export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  supplementalGroups?: number[];
  fsGroup?: number;
  sysctls?: { name: string; value: string }[];
}

/** One container (or init container) of a pod. */
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: Lifecycle;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  securityContext?: SecurityContext;
  terminationMessagePath?: string;
  terminationMessagePolicy?: "File" | "FallbackToLogsOnError";
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

/** Items projected from a ConfigMap or Secret into a volume. */
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** One `volumes[]` entry; the kinds this kubelet mounts. */
export interface Volume {
  name: string;
  emptyDir?: { medium?: "" | "Memory"; sizeLimit?: Quantity };
  hostPath?: {
    path: string;
    type?:
      | ""
      | "DirectoryOrCreate"
      | "Directory"
      | "FileOrCreate"
      | "File"
      | "Socket"
      | "CharDevice"
      | "BlockDevice";
  };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
}

/** `spec.dnsConfig`. */
export interface PodDNSConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

/** `spec` of a pod. */
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  terminationGracePeriodSeconds?: number;
  activeDeadlineSeconds?: number;
  dnsPolicy?: "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";
  dnsConfig?: PodDNSConfig;
  nodeName?: string;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  shareProcessNamespace?: boolean;
  hostname?: string;
  subdomain?: string;
  setHostnameAsFQDN?: boolean;
  securityContext?: PodSecurityContext;
  readinessGates?: { conditionType: string }[];
  /** Read only to pass through (static pods add one); the kubelet does not act on them. */
  tolerations?: {
    key?: string;
    operator?: "Exists" | "Equal";
    value?: string;
    effect?: string;
    tolerationSeconds?: number;
  }[];
}

/** Phases of a pod, as the API names them. */
export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/** One `status.conditions[]` entry. */
export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

/** `state` / `lastState` of a container status. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    exitCode: number;
    signal?: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
}

/** One `status.containerStatuses[]` entry. */
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
}

/** The QoS classes of a pod. */
export type PodQOSClass = "Guaranteed" | "Burstable" | "BestEffort";

/** `status` of a pod, as the kubelet reports it. */
export interface PodStatus {
  phase: PodPhase;
  conditions: PodCondition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  qosClass: PodQOSClass;
}

/** A pod as the kubelet receives it. */
export interface Pod {
  apiVersion?: "v1";
  kind?: "Pod";
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: Partial<PodStatus>;
}
