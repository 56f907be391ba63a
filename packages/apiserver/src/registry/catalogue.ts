import type { ResourceDefinition, SubresourceDefinition, Verb } from "./resource.js";

/** The verbs of an ordinary, fully writable resource. */
export const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

const STATUS_VERBS: readonly Verb[] = ["get", "patch", "update"];

interface Spec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs?: readonly Verb[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly SubresourceDefinition[];
}

const status = (kind: string): SubresourceDefinition => ({
  name: "status",
  kind,
  verbs: STATUS_VERBS,
});
const scale: SubresourceDefinition = {
  name: "scale",
  kind: "Scale",
  group: "autoscaling",
  version: "v1",
  verbs: STATUS_VERBS,
};

function define(spec: Spec): ResourceDefinition {
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    kind: spec.kind,
    singular: spec.kind.toLowerCase(),
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    verbs: spec.verbs ?? ALL_VERBS,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    subresources: spec.subresources ?? [],
  };
}

const core = (s: Omit<Spec, "group" | "version">): ResourceDefinition =>
  define({ group: "", version: "v1", ...s });
const inGroup =
  (group: string, version = "v1") =>
  (s: Omit<Spec, "group" | "version">): ResourceDefinition =>
    define({ group, version, ...s });

const apps = inGroup("apps");
const batch = inGroup("batch");
const rbac = inGroup("rbac.authorization.k8s.io");

/**
 * Every built-in resource kubekit serves, in the order discovery lists
 * them. Verbs, short names and categories are those upstream's discovery
 * reports, so `kubectl get po`, `kubectl get all` and `kubectl api-resources`
 * behave the same.
 */
export const BUILTIN_RESOURCES: readonly ResourceDefinition[] = [
  core({
    resource: "namespaces",
    kind: "Namespace",
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    subresources: [status("Namespace"), { name: "finalize", kind: "Namespace", verbs: ["update"] }],
  }),
  core({
    resource: "pods",
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    subresources: [
      status("Pod"),
      { name: "binding", kind: "Binding", verbs: ["create"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"] },
    ],
  }),
  core({
    resource: "services",
    kind: "Service",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    subresources: [status("Service")],
  }),
  core({ resource: "endpoints", kind: "Endpoints", namespaced: true, shortNames: ["ep"] }),
  core({
    resource: "nodes",
    kind: "Node",
    namespaced: false,
    shortNames: ["no"],
    subresources: [status("Node")],
  }),
  core({ resource: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"] }),
  core({ resource: "secrets", kind: "Secret", namespaced: true }),
  core({
    resource: "serviceaccounts",
    kind: "ServiceAccount",
    namespaced: true,
    shortNames: ["sa"],
  }),
  core({ resource: "events", kind: "Event", namespaced: true, shortNames: ["ev"] }),
  core({
    resource: "replicationcontrollers",
    kind: "ReplicationController",
    namespaced: true,
    shortNames: ["rc"],
    categories: ["all"],
    subresources: [status("ReplicationController"), scale],
  }),
  core({
    resource: "resourcequotas",
    kind: "ResourceQuota",
    namespaced: true,
    shortNames: ["quota"],
    subresources: [status("ResourceQuota")],
  }),
  core({ resource: "limitranges", kind: "LimitRange", namespaced: true, shortNames: ["limits"] }),
  core({
    resource: "persistentvolumes",
    kind: "PersistentVolume",
    namespaced: false,
    shortNames: ["pv"],
    subresources: [status("PersistentVolume")],
  }),
  core({
    resource: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    namespaced: true,
    shortNames: ["pvc"],
    subresources: [status("PersistentVolumeClaim")],
  }),
  apps({
    resource: "deployments",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: [status("Deployment"), scale],
  }),
  apps({
    resource: "replicasets",
    kind: "ReplicaSet",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    subresources: [status("ReplicaSet"), scale],
  }),
  apps({
    resource: "statefulsets",
    kind: "StatefulSet",
    namespaced: true,
    shortNames: ["sts"],
    categories: ["all"],
    subresources: [status("StatefulSet"), scale],
  }),
  apps({
    resource: "daemonsets",
    kind: "DaemonSet",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    subresources: [status("DaemonSet")],
  }),
  // What DaemonSets and StatefulSets record their template history in.
  apps({ resource: "controllerrevisions", kind: "ControllerRevision", namespaced: true }),
  batch({
    resource: "jobs",
    kind: "Job",
    namespaced: true,
    categories: ["all"],
    subresources: [status("Job")],
  }),
  batch({
    resource: "cronjobs",
    kind: "CronJob",
    namespaced: true,
    shortNames: ["cj"],
    categories: ["all"],
    subresources: [status("CronJob")],
  }),
  inGroup("discovery.k8s.io")({
    resource: "endpointslices",
    kind: "EndpointSlice",
    namespaced: true,
  }),
  inGroup("coordination.k8s.io")({ resource: "leases", kind: "Lease", namespaced: true }),
  rbac({ resource: "roles", kind: "Role", namespaced: true }),
  rbac({ resource: "rolebindings", kind: "RoleBinding", namespaced: true }),
  rbac({ resource: "clusterroles", kind: "ClusterRole", namespaced: false }),
  rbac({ resource: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false }),
  inGroup("storage.k8s.io")({
    resource: "storageclasses",
    kind: "StorageClass",
    namespaced: false,
    shortNames: ["sc"],
  }),
  inGroup("apiextensions.k8s.io")({
    resource: "customresourcedefinitions",
    kind: "CustomResourceDefinition",
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    subresources: [status("CustomResourceDefinition")],
  }),
];
