import { REQUIRED, type TypeTable } from "../type-description.js";
import { kindType } from "./core.js";

const atomic = { listType: "atomic" } as const;

/** RBAC, storage, coordination, discovery and apiextensions kinds. */
export const CLUSTER_TYPES: TypeTable = {
  "rbac.v1.PolicyRule": {
    doc: "Actions allowed on resources or non-resource URLs.",
    fields: {
      verbs: ["string[]", "The verbs allowed; * for all.", { ...atomic, required: true }],
      apiGroups: ["string[]", 'The API groups of the resources; "" is the core group.', atomic],
      resources: ["string[]", "The resources; * for all.", atomic],
      resourceNames: ["string[]", "Limits the rule to these object names.", atomic],
      nonResourceURLs: ["string[]", "URL paths such as /healthz (cluster roles only).", atomic],
    },
  },
  "rbac.v1.Role": kindType("Permissions within a namespace.", {
    rules: ["PolicyRule[]", "What the role allows.", atomic],
  }),
  "rbac.v1.ClusterRole": kindType("Permissions across the cluster.", {
    rules: ["PolicyRule[]", "What the role allows.", atomic],
    aggregationRule: ["raw", "Selects roles whose rules are combined into this one."],
  }),
  "rbac.v1.RoleRef": {
    doc: "The role a binding grants.",
    fields: {
      apiGroup: ["string", "rbac.authorization.k8s.io.", REQUIRED],
      kind: ["string", "Role or ClusterRole.", REQUIRED],
      name: ["string", "The role's name.", REQUIRED],
    },
  },
  "rbac.v1.Subject": {
    doc: "Who a binding grants a role to.",
    fields: {
      kind: ["string", "User, Group or ServiceAccount.", REQUIRED],
      apiGroup: ["string", "The group of the kind; empty for ServiceAccount."],
      name: ["string", "The subject's name.", REQUIRED],
      namespace: ["string", "The service account's namespace."],
    },
  },
  "rbac.v1.RoleBinding": kindType("Grants a role to subjects within a namespace.", {
    subjects: ["Subject[]", "Who gets the role.", atomic],
    roleRef: ["RoleRef", "The role granted; cannot change.", REQUIRED],
  }),
  "rbac.v1.ClusterRoleBinding": kindType("Grants a cluster role to subjects across the cluster.", {
    subjects: ["Subject[]", "Who gets the role.", atomic],
    roleRef: ["RoleRef", "The role granted; cannot change.", REQUIRED],
  }),
  "storage.v1.StorageClass": kindType("A kind of storage that claims can ask for.", {
    provisioner: ["string", "The driver that makes the volumes.", REQUIRED],
    parameters: ["{string}", "Settings for the provisioner."],
    reclaimPolicy: ["string", "Delete or Retain, for volumes it makes."],
    mountOptions: ["string[]", "Mount options of its volumes.", atomic],
    allowVolumeExpansion: ["boolean", "Whether claims may grow."],
    volumeBindingMode: ["string", "Immediate or WaitForFirstConsumer."],
    allowedTopologies: ["raw[]", "Where volumes may be made.", atomic],
  }),
  "coordination.v1.Lease": kindType("A lease, for leader election and node heartbeats.", {
    spec: ["LeaseSpec", "Who holds the lease and until when."],
  }),
  "coordination.v1.LeaseSpec": {
    doc: "The holder and timing of a lease.",
    fields: {
      holderIdentity: ["string", "Who holds it."],
      leaseDurationSeconds: ["int32", "How long a holder keeps it without renewing."],
      acquireTime: ["raw", "When it was acquired."],
      renewTime: ["raw", "When it was last renewed."],
      leaseTransitions: ["int32", "How many times it changed hands."],
      strategy: ["string", "How a holder is chosen, for coordinated election."],
      preferredHolder: ["string", "The holder the election should move to."],
    },
  },
  "discovery.v1.EndpointSlice": kindType("A slice of the endpoints of a Service.", {
    addressType: ["string", "IPv4, IPv6 or FQDN.", REQUIRED],
    endpoints: ["raw[]", "The endpoints.", atomic],
    ports: ["raw[]", "The ports of every endpoint.", atomic],
  }),
  "apiextensions.v1.CustomResourceDefinition": kindType(
    "Defines a new kind of resource the server serves.",
    {
      spec: [
        "CustomResourceDefinitionSpec",
        "The group, names, scope and versions of the resource.",
      ],
      status: ["raw", "Accepted names, conditions and stored versions."],
    },
  ),
  "apiextensions.v1.CustomResourceDefinitionSpec": {
    doc: "What a CustomResourceDefinition defines.",
    fields: {
      group: ["string", "The API group of the resource.", REQUIRED],
      names: ["raw", "The plural, singular, kind, list kind and short names.", REQUIRED],
      scope: ["string", "Namespaced or Cluster.", REQUIRED],
      versions: [
        "raw[]",
        "The served versions, each with its schema.",
        { ...atomic, required: true },
      ],
      conversion: ["raw", "How objects are converted between versions."],
      preserveUnknownFields: ["boolean", "Deprecated: keep unknown fields."],
    },
  },
};
