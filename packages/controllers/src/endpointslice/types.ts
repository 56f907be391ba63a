import type { KubeObject } from "@kubekit/client";

/** discovery.k8s.io/v1 Endpoint. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: "Pod"; namespace: string; name: string; uid: string };
}

/** discovery.k8s.io/v1 EndpointPort. */
export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSlice extends KubeObject {
  addressType: "IPv4" | "IPv6" | "FQDN";
  endpoints: SliceEndpoint[];
  ports: SlicePort[];
}

/** The label naming the service a slice belongs to. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
/** The label saying which controller manages a slice. */
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
/** This controller's value of {@link MANAGED_BY_LABEL}, as upstream's. */
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
/** Upstream's default `--max-endpoints-per-slice`. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** The node label naming its zone, copied into each endpoint's `zone`. */
export const ZONE_LABEL = "topology.kubernetes.io/zone";
