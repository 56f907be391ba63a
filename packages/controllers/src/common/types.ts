import type { KubeObject, LabelSelector, ObjectMeta } from "@kubekit/client";

/** core/v1 PodCondition. */
export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** core/v1 Container, the parts the controllers read. */
export interface Container {
  name: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [field: string]: unknown;
}

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** core/v1 Taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** core/v1 PodSpec, the parts the controllers read. */
export interface PodSpec {
  nodeName?: string;
  hostname?: string;
  subdomain?: string;
  containers?: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  tolerations?: Toleration[];
  [field: string]: unknown;
}

/** core/v1 PodPhase. */
export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/** core/v1 PodStatus, the parts the controllers read. */
export interface PodStatus {
  phase?: PodPhase;
  podIP?: string;
  podIPs?: { ip: string }[];
  conditions?: PodCondition[];
  containerStatuses?: Array<{ name: string; restartCount?: number; ready?: boolean }>;
  [field: string]: unknown;
}

/** The slice of core/v1 Pod the controllers need. */
export interface Pod extends KubeObject {
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

/** core/v1 PodTemplateSpec (`spec.template` of a workload). */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

/** A workload with a selector and a pod template (Job, DaemonSet, StatefulSet). */
export interface Workload extends KubeObject {
  spec?: {
    selector?: LabelSelector;
    template?: PodTemplateSpec;
    [field: string]: unknown;
  };
  status?: Record<string, unknown>;
}

/** A condition on a workload's status (Deployment, ReplicaSet). */
export interface WorkloadCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 ReplicaSet, and core/v1 ReplicationController read the same way (see replicaset/kind.ts). */
export interface ReplicaSet extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}

/** apps/v1 ReplicaSetStatus (ReplicationControllerStatus has the same fields). */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: WorkloadCondition[];
}

/** An int-or-percent field (`maxSurge: 1` or `"25%"`). */
export type IntOrString = number | string;

/** apps/v1 Deployment. */
export interface Deployment extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplateSpec;
    strategy?: {
      type?: "RollingUpdate" | "Recreate";
      rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
    };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
}

/** apps/v1 DeploymentStatus. */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: WorkloadCondition[];
  collisionCount?: number;
}

/** core/v1 NodeCondition. */
export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** core/v1 Node, the parts the controllers read and write. */
export interface Node extends KubeObject {
  metadata: ObjectMeta;
  spec?: {
    taints?: Taint[];
    unschedulable?: boolean;
    podCIDR?: string;
    podCIDRs?: string[];
    [field: string]: unknown;
  };
  status?: { conditions?: NodeCondition[]; [field: string]: unknown };
}
