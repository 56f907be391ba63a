import type { KubeObject, LabelSelector, ObjectMeta } from "@kubekit/client";

/** The slice of core/v1 PodCondition the controllers read and write. */
export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The slice of core/v1 Pod the controllers need. */
export interface Pod extends KubeObject {
  metadata: ObjectMeta;
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
    conditions?: PodCondition[];
    containerStatuses?: Array<{ name: string; restartCount?: number; ready?: boolean }>;
    [field: string]: unknown;
  };
}

/** A pod template (`spec.template` of a workload). */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
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

/** core/v1 Node, the part node IPAM touches. */
export interface Node extends KubeObject {
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; [field: string]: unknown };
}
