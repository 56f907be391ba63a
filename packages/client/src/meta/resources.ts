import type { GroupVersionResource } from "./types.js";

/** Resources kubekit's own components use, for `client.resource(...)`. */
export const Resources = {
  namespaces: { group: "", version: "v1", resource: "namespaces", namespaced: false },
  nodes: { group: "", version: "v1", resource: "nodes", namespaced: false },
  pods: { group: "", version: "v1", resource: "pods", namespaced: true },
  services: { group: "", version: "v1", resource: "services", namespaced: true },
  endpoints: { group: "", version: "v1", resource: "endpoints", namespaced: true },
  configMaps: { group: "", version: "v1", resource: "configmaps", namespaced: true },
  secrets: { group: "", version: "v1", resource: "secrets", namespaced: true },
  serviceAccounts: { group: "", version: "v1", resource: "serviceaccounts", namespaced: true },
  events: { group: "", version: "v1", resource: "events", namespaced: true },
  deployments: { group: "apps", version: "v1", resource: "deployments", namespaced: true },
  replicaSets: { group: "apps", version: "v1", resource: "replicasets", namespaced: true },
  leases: {
    group: "coordination.k8s.io",
    version: "v1",
    resource: "leases",
    namespaced: true,
  },
} as const satisfies Record<string, GroupVersionResource>;
