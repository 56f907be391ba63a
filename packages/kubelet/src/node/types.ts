import type { KubeObject } from "@kubekit/client";
import type { Quantity } from "../api/types.js";

/** A node taint (`key=value:Effect`). */
export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** One of a node's conditions (Ready, MemoryPressure, ...). */
export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

/** A node address: InternalIP, Hostname, ... */
export interface NodeAddress {
  type: "InternalIP" | "ExternalIP" | "Hostname" | "InternalDNS" | "ExternalDNS";
  address: string;
}

/** What the kubelet reports about the machine and its software. */
export interface NodeSystemInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  kubeProxyVersion: string;
  operatingSystem: string;
  architecture: string;
}

/** An image present on the node, for the scheduler's ImageLocality. */
export interface ContainerImage {
  names: string[];
  sizeBytes: number;
}

/** The part of a Node's status the kubelet owns. */
export interface NodeStatus {
  capacity: Record<string, Quantity>;
  allocatable: Record<string, Quantity>;
  conditions: NodeCondition[];
  addresses: NodeAddress[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: NodeSystemInfo;
  images: ContainerImage[];
}

/** A v1 Node as the kubelet reads and writes it. */
export interface Node extends KubeObject {
  apiVersion?: "v1";
  kind?: "Node";
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { taints?: Taint[]; podCIDR?: string; unschedulable?: boolean };
  status?: Partial<NodeStatus>;
}
