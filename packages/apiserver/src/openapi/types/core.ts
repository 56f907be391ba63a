import { type Field, REQUIRED, type TypeDescription, type TypeTable } from "../type-description.js";

const atomic = { listType: "atomic" } as const;

/** apiVersion, kind, metadata, and the given fields: a top-level kind. */
export function kindType(
  doc: string,
  fields: Record<string, Field>,
  open = false,
): TypeDescription {
  return {
    doc,
    ...(open ? { open } : {}),
    fields: {
      apiVersion: ["string", "The versioned schema of this object."],
      kind: ["string", "The kind of this object."],
      metadata: ["meta.v1.ObjectMeta", "Standard object metadata."],
      ...fields,
    },
  };
}

const rawSource = (what: string): Field => ["raw", `A ${what} volume.`];

/** Volumes, Services and the other core/v1 kinds. */
export const CORE_TYPES: TypeTable = {
  "core.v1.Volume": {
    doc: "A named volume of a pod; exactly one source is set.",
    fields: {
      name: ["string", "The volume's name, a DNS label unique in the pod.", REQUIRED],
      configMap: ["ConfigMapVolumeSource", "The keys of a ConfigMap as files."],
      secret: ["SecretVolumeSource", "The keys of a Secret as files."],
      emptyDir: [
        "EmptyDirVolumeSource",
        "A directory that starts empty and lives as long as the pod.",
      ],
      hostPath: ["HostPathVolumeSource", "A path on the node."],
      persistentVolumeClaim: [
        "PersistentVolumeClaimVolumeSource",
        "A PersistentVolumeClaim in the pod's namespace.",
      ],
      nfs: ["NFSVolumeSource", "An NFS export."],
      projected: ["raw", "Several sources projected into one directory."],
      downwardAPI: ["raw", "Pod fields as files."],
      csi: ["raw", "A volume from a CSI driver."],
      ephemeral: ["raw", "A volume from a claim made for this pod alone."],
      image: ["raw", "The contents of an OCI image."],
      awsElasticBlockStore: rawSource("AWS EBS"),
      azureDisk: rawSource("Azure disk"),
      azureFile: rawSource("Azure file"),
      cephfs: rawSource("CephFS"),
      cinder: rawSource("Cinder"),
      fc: rawSource("Fibre Channel"),
      flexVolume: rawSource("FlexVolume"),
      flocker: rawSource("Flocker"),
      gcePersistentDisk: rawSource("GCE persistent disk"),
      gitRepo: rawSource("git repository (deprecated)"),
      glusterfs: rawSource("GlusterFS"),
      iscsi: rawSource("iSCSI"),
      photonPersistentDisk: rawSource("Photon"),
      portworxVolume: rawSource("Portworx"),
      quobyte: rawSource("Quobyte"),
      rbd: rawSource("Ceph RBD"),
      scaleIO: rawSource("ScaleIO"),
      storageos: rawSource("StorageOS"),
      vsphereVolume: rawSource("vSphere"),
    },
  },
  "core.v1.KeyToPath": {
    doc: "Maps one key to a file path in the volume.",
    fields: {
      key: ["string", "The key.", REQUIRED],
      path: ["string", "The relative file path.", REQUIRED],
      mode: ["int32", "The file's mode bits."],
    },
  },
  "core.v1.ConfigMapVolumeSource": {
    doc: "A ConfigMap's keys as files.",
    fields: {
      name: ["string", "The ConfigMap's name."],
      items: ["KeyToPath[]", "Which keys to project, and where; all keys when empty.", atomic],
      defaultMode: ["int32", "Mode bits of the files."],
      optional: ["boolean", "Whether the ConfigMap may be missing."],
    },
  },
  "core.v1.SecretVolumeSource": {
    doc: "A Secret's keys as files.",
    fields: {
      secretName: ["string", "The Secret's name."],
      items: ["KeyToPath[]", "Which keys to project, and where; all keys when empty.", atomic],
      defaultMode: ["int32", "Mode bits of the files."],
      optional: ["boolean", "Whether the Secret may be missing."],
    },
  },
  "core.v1.EmptyDirVolumeSource": {
    doc: "A scratch directory.",
    fields: {
      medium: ["string", "Empty for the node's disk, or Memory for tmpfs."],
      sizeLimit: ["quantity", "The most it may hold."],
    },
  },
  "core.v1.HostPathVolumeSource": {
    doc: "A file or directory of the node.",
    fields: {
      path: ["string", "The path on the node.", REQUIRED],
      type: ["string", "What must be at the path, such as Directory or DirectoryOrCreate."],
    },
  },
  "core.v1.PersistentVolumeClaimVolumeSource": {
    doc: "A claim's volume.",
    fields: {
      claimName: ["string", "The claim's name.", REQUIRED],
      readOnly: ["boolean", "Mount read-only."],
    },
  },
  "core.v1.NFSVolumeSource": {
    doc: "An NFS export.",
    fields: {
      server: ["string", "The NFS server.", REQUIRED],
      path: ["string", "The exported path.", REQUIRED],
      readOnly: ["boolean", "Mount read-only."],
    },
  },
  "core.v1.ObjectReference": {
    doc: "A reference to any object.",
    fields: {
      apiVersion: ["string", "The object's API version."],
      kind: ["string", "The object's kind."],
      namespace: ["string", "The object's namespace."],
      name: ["string", "The object's name."],
      uid: ["string", "The object's uid."],
      resourceVersion: ["string", "The object's resourceVersion when referenced."],
      fieldPath: ["string", "A field inside the object, when the reference is to part of it."],
    },
  },
  "core.v1.Service": kindType("A stable virtual IP and DNS name in front of a set of pods.", {
    spec: ["ServiceSpec", "How the service is exposed and which pods back it."],
    status: ["raw", "The service's observed state, such as its load balancer."],
  }),
  "core.v1.ServiceSpec": {
    doc: "The desired state of a Service.",
    fields: {
      ports: [
        "ServicePort[]",
        "The ports the service exposes.",
        { patch: "merge", mergeKey: "port", listType: "map", mapKeys: ["port", "protocol"] },
      ],
      selector: ["{string}", "Labels of the pods traffic goes to.", { mapType: "atomic" }],
      clusterIP: ["string", "The virtual IP; assigned when empty, None for a headless service."],
      clusterIPs: ["string[]", "The virtual IPs, one per address family.", atomic],
      type: ["string", "ClusterIP, NodePort, LoadBalancer or ExternalName."],
      externalIPs: ["string[]", "Node IPs that also accept the service's traffic.", atomic],
      sessionAffinity: ["string", "ClientIP or None."],
      loadBalancerIP: ["string", "Deprecated: a requested load balancer IP."],
      loadBalancerSourceRanges: [
        "string[]",
        "Client CIDRs allowed through the load balancer.",
        atomic,
      ],
      externalName: ["string", "The DNS name an ExternalName service aliases."],
      externalTrafficPolicy: ["string", "Cluster or Local: where external traffic may go."],
      healthCheckNodePort: ["int32", "The node port for load balancer health checks."],
      publishNotReadyAddresses: ["boolean", "Publish endpoints of pods that are not ready."],
      sessionAffinityConfig: ["raw", "Settings of session affinity."],
      ipFamilies: ["string[]", "IPv4 and/or IPv6.", atomic],
      ipFamilyPolicy: ["string", "SingleStack, PreferDualStack or RequireDualStack."],
      allocateLoadBalancerNodePorts: ["boolean", "Whether LoadBalancer services get node ports."],
      loadBalancerClass: ["string", "The load balancer implementation."],
      internalTrafficPolicy: ["string", "Cluster or Local: where in-cluster traffic may go."],
      trafficDistribution: [
        "string",
        "A preference for how traffic is spread, such as PreferClose.",
      ],
    },
  },
  "core.v1.ServicePort": {
    doc: "One port of a Service.",
    fields: {
      name: ["string", "The port's name; required when there are several."],
      protocol: ["string", "TCP, UDP or SCTP; TCP by default."],
      appProtocol: ["string", "The application protocol, as a hint."],
      port: ["int32", "The port the service listens on.", REQUIRED],
      targetPort: [
        "int-or-string",
        "The pods' port, by number or name; the same as port by default.",
      ],
      nodePort: ["int32", "The port on every node, for NodePort and LoadBalancer services."],
    },
  },
  "core.v1.ConfigMap": kindType("Configuration data as key/value pairs, for pods to consume.", {
    data: ["{string}", "UTF-8 values by key."],
    binaryData: ["{bytes}", "Binary values by key, base64 in JSON."],
    immutable: ["boolean", "When true, the data can no longer change."],
  }),
  "core.v1.Secret": kindType("Sensitive data as key/value pairs, for pods to consume.", {
    data: ["{bytes}", "Values by key, base64 in JSON."],
    stringData: ["{string}", "Values by key as plain text, merged into data on write."],
    type: ["string", "What the secret holds, such as Opaque or kubernetes.io/tls."],
    immutable: ["boolean", "When true, the data can no longer change."],
  }),
  "core.v1.Namespace": kindType("A scope for names; most objects live in one.", {
    spec: ["NamespaceSpec", "The namespace's finalizers."],
    status: ["raw", "The namespace's phase and conditions."],
  }),
  "core.v1.NamespaceSpec": {
    doc: "The desired state of a Namespace.",
    fields: { finalizers: ["string[]", "Steps to finish before the namespace goes.", atomic] },
  },
  "core.v1.Node": kindType("A machine that runs pods.", {
    spec: ["NodeSpec", "How the node may be used."],
    status: ["raw", "The node's capacity, conditions, addresses and images."],
  }),
  "core.v1.NodeSpec": {
    doc: "The desired state of a Node.",
    fields: {
      podCIDR: ["string", "The pod IP range of the node."],
      podCIDRs: [
        "string[]",
        "The pod IP ranges, one per address family.",
        { patch: "merge", listType: "set" },
      ],
      providerID: ["string", "The cloud provider's ID of the machine."],
      unschedulable: ["boolean", "Keep new pods off the node."],
      taints: ["Taint[]", "Taints that repel pods without a matching toleration.", atomic],
      configSource: ["raw", "Deprecated."],
      externalID: ["string", "Deprecated."],
    },
  },
  "core.v1.Taint": {
    doc: "A mark on a node that repels pods.",
    fields: {
      key: ["string", "The taint key.", REQUIRED],
      value: ["string", "The taint value."],
      effect: ["string", "NoSchedule, PreferNoSchedule or NoExecute.", REQUIRED],
      timeAdded: ["time", "When a NoExecute taint was added."],
    },
  },
  "core.v1.ServiceAccount": kindType("An identity for processes running in pods.", {
    secrets: [
      "ObjectReference[]",
      "Secrets pods of this account may use.",
      { patch: "merge", mergeKey: "name", listType: "map", mapKeys: ["name"] },
    ],
    imagePullSecrets: [
      "LocalObjectReference[]",
      "Secrets used to pull images for pods of this account.",
      atomic,
    ],
    automountServiceAccountToken: ["boolean", "Whether pods mount the account's token by default."],
  }),
  "core.v1.Endpoints": kindType("The addresses and ports that back a Service.", {
    subsets: ["EndpointSubset[]", "Groups of addresses sharing the same ports.", atomic],
  }),
  "core.v1.EndpointSubset": {
    doc: "Addresses that share a set of ports.",
    fields: {
      addresses: ["EndpointAddress[]", "Ready addresses.", atomic],
      notReadyAddresses: ["EndpointAddress[]", "Addresses not ready yet.", atomic],
      ports: ["EndpointPort[]", "The ports.", atomic],
    },
  },
  "core.v1.EndpointAddress": {
    doc: "One endpoint address.",
    fields: {
      ip: ["string", "The IP.", REQUIRED],
      hostname: ["string", "The hostname of the endpoint."],
      nodeName: ["string", "The node the endpoint is on."],
      targetRef: ["ObjectReference", "The object (usually a pod) behind the address."],
    },
  },
  "core.v1.EndpointPort": {
    doc: "One endpoint port.",
    fields: {
      name: ["string", "The port's name, matching the Service port."],
      port: ["int32", "The port number.", REQUIRED],
      protocol: ["string", "TCP, UDP or SCTP."],
      appProtocol: ["string", "The application protocol."],
    },
  },
  "core.v1.Event": kindType(
    "A report of something that happened to an object.",
    {
      involvedObject: ["ObjectReference", "The object the event is about.", REQUIRED],
      reason: ["string", "Why it happened, in one word."],
      message: ["string", "What happened, for people."],
      source: ["raw", "The component that reported it."],
      firstTimestamp: ["time", "When it was first seen."],
      lastTimestamp: ["time", "When it was last seen."],
      count: ["int32", "How many times it happened."],
      type: ["string", "Normal or Warning."],
      eventTime: ["raw", "When it first happened, with microseconds."],
      series: ["raw", "Data about a repeating series of events."],
      action: ["string", "What was done, or failed."],
      related: ["ObjectReference", "A second object involved."],
      reportingComponent: ["string", "The controller that reported it."],
      reportingInstance: ["string", "The instance of that controller."],
    },
    true,
  ),
  "core.v1.ReplicationController": kindType(
    "Keeps a number of pod replicas running (the predecessor of ReplicaSet).",
    {
      spec: ["ReplicationControllerSpec", "The desired replicas and their template."],
      status: ["raw", "The observed replicas."],
    },
  ),
  "core.v1.ReplicationControllerSpec": {
    doc: "The desired state of a ReplicationController.",
    fields: {
      replicas: ["int32", "How many pods to keep running."],
      minReadySeconds: ["int32", "Seconds a new pod must be ready to count as available."],
      selector: ["{string}", "Labels of the pods it manages.", { mapType: "atomic" }],
      template: ["PodTemplateSpec", "The pods it creates."],
    },
  },
  "core.v1.PersistentVolume": kindType("A piece of storage in the cluster.", {
    spec: ["PersistentVolumeSpec", "The storage and how it may be used."],
    status: ["raw", "The volume's phase."],
  }),
  "core.v1.PersistentVolumeSpec": {
    doc: "The description of a PersistentVolume.",
    open: true,
    fields: {
      capacity: ["{quantity}", "The volume's size."],
      accessModes: [
        "string[]",
        "ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
        atomic,
      ],
      claimRef: ["ObjectReference", "The claim bound to this volume."],
      persistentVolumeReclaimPolicy: [
        "string",
        "Retain, Recycle or Delete: what happens when the claim goes.",
      ],
      storageClassName: ["string", "The class the volume belongs to."],
      mountOptions: ["string[]", "Mount options.", atomic],
      volumeMode: ["string", "Filesystem or Block."],
      nodeAffinity: ["raw", "Which nodes can reach the volume."],
      hostPath: ["HostPathVolumeSource", "A directory of the node (testing only)."],
      local: ["raw", "A local disk of a node."],
      nfs: ["NFSVolumeSource", "An NFS export."],
      csi: ["raw", "A volume of a CSI driver."],
    },
  },
  "core.v1.PersistentVolumeClaim": kindType("A request for storage by a user.", {
    spec: ["PersistentVolumeClaimSpec", "What storage is wanted."],
    status: ["raw", "The claim's phase and the bound capacity."],
  }),
  "core.v1.PersistentVolumeClaimSpec": {
    doc: "The desired storage of a claim.",
    fields: {
      accessModes: ["string[]", "The access modes wanted.", atomic],
      selector: ["meta.v1.LabelSelector", "Labels of volumes that may be bound."],
      resources: ["VolumeResourceRequirements", "The storage size wanted."],
      volumeName: ["string", "A specific volume to bind."],
      storageClassName: ["string", "The class of storage wanted."],
      volumeMode: ["string", "Filesystem or Block."],
      dataSource: ["raw", "An object to populate the volume from."],
      dataSourceRef: ["raw", "An object to populate the volume from, in any namespace or group."],
      volumeAttributesClassName: ["string", "The VolumeAttributesClass to use."],
    },
  },
  "core.v1.VolumeResourceRequirements": {
    doc: "Storage requested and capped.",
    fields: {
      limits: ["{quantity}", "The most storage allowed."],
      requests: ["{quantity}", "The storage requested."],
    },
  },
  "core.v1.ResourceQuota": kindType("Caps the total resources used in a namespace.", {
    spec: ["raw", "The hard limits and scopes."],
    status: ["raw", "Current use."],
  }),
  "core.v1.LimitRange": kindType("Default and bounding resources for pods in a namespace.", {
    spec: ["raw", "The limits by kind of object."],
  }),
};
