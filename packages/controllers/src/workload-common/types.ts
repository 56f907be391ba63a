import type { KubeObject, LabelSelector } from "@kubekit/client";

/** The slice of core/v1 Pod the workload controllers read. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: Container[];
    initContainers?: Container[];
    restartPolicy?: string;
    tolerations?: Toleration[];
    [field: string]: unknown;
  };
  status?: PodStatus;
}

/** core/v1 Container, the parts read here. */
export interface Container {
  name: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [field: string]: unknown;
}

/** core/v1 PodStatus, the parts read here. */
export interface PodStatus {
  phase?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  conditions?: PodCondition[];
  [field: string]: unknown;
}

/** core/v1 PodCondition. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
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

/** core/v1 PodTemplateSpec. */
export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Pod["spec"];
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
