import { type GroupVersionResource, Resources } from "@kubekit/client";

/**
 * Every resource the controllers read and write: the client's common
 * `Resources` and those it does not list.
 */
export const ControllerResources = {
  ...Resources,
  replicationControllers: {
    group: "",
    version: "v1",
    resource: "replicationcontrollers",
    namespaced: true,
  },
  endpointSlices: {
    group: "discovery.k8s.io",
    version: "v1",
    resource: "endpointslices",
    namespaced: true,
  },
  jobs: { group: "batch", version: "v1", resource: "jobs", namespaced: true },
  cronJobs: { group: "batch", version: "v1", resource: "cronjobs", namespaced: true },
  daemonSets: { group: "apps", version: "v1", resource: "daemonsets", namespaced: true },
  statefulSets: { group: "apps", version: "v1", resource: "statefulsets", namespaced: true },
  controllerRevisions: {
    group: "apps",
    version: "v1",
    resource: "controllerrevisions",
    namespaced: true,
  },
  resourceQuotas: { group: "", version: "v1", resource: "resourcequotas", namespaced: true },
  persistentVolumeClaims: {
    group: "",
    version: "v1",
    resource: "persistentvolumeclaims",
    namespaced: true,
  },
} as const satisfies Record<string, GroupVersionResource>;
