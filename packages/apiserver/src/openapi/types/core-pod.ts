import { type Field, type FieldOptions, REQUIRED, type TypeTable } from "../type-description.js";

const byName: FieldOptions = { patch: "merge", mergeKey: "name", listType: "map" };
const atomic: FieldOptions = { listType: "atomic" };

const containerFields: Record<string, Field> = {
  name: ["string", "The container's name, a DNS label unique within the pod.", REQUIRED],
  image: ["string", "The image to run, as a registry reference."],
  command: [
    "string[]",
    "The entrypoint, replacing the image's ENTRYPOINT; not run in a shell.",
    atomic,
  ],
  args: ["string[]", "Arguments to the entrypoint, replacing the image's CMD.", atomic],
  workingDir: ["string", "The working directory; the image's default when empty."],
  ports: [
    "ContainerPort[]",
    "Ports the container exposes; informational, a port listening on 0.0.0.0 is reachable anyway.",
    {
      patch: "merge",
      mergeKey: "containerPort",
      listType: "map",
      mapKeys: ["containerPort", "protocol"],
    },
  ],
  envFrom: ["EnvFromSource[]", "Sources whose keys all become environment variables.", atomic],
  env: ["EnvVar[]", "Environment variables to set.", byName],
  resources: ["ResourceRequirements", "Compute resources requested and capped."],
  resizePolicy: [
    "ContainerResizePolicy[]",
    "How the container reacts to a resource resize.",
    atomic,
  ],
  restartPolicy: [
    "string",
    "For init containers only: Always makes it a sidecar that runs alongside the others.",
  ],
  volumeMounts: [
    "VolumeMount[]",
    "Pod volumes mounted into the container's filesystem.",
    { patch: "merge", mergeKey: "mountPath", listType: "map", mapKeys: ["mountPath"] },
  ],
  volumeDevices: [
    "VolumeDevice[]",
    "Block devices from pod volumes.",
    { patch: "merge", mergeKey: "devicePath", listType: "map", mapKeys: ["devicePath"] },
  ],
  livenessProbe: ["Probe", "Checks the container is alive; it is restarted when this fails."],
  readinessProbe: [
    "Probe",
    "Checks the container can serve; it is taken out of Service endpoints when this fails.",
  ],
  startupProbe: ["Probe", "Checks the container has started; the other probes wait for it."],
  lifecycle: ["Lifecycle", "Actions run after start and before stop."],
  terminationMessagePath: ["string", "A file whose content becomes the termination message."],
  terminationMessagePolicy: [
    "string",
    "File, or FallbackToLogsOnError to use the log tail when the file is empty.",
  ],
  imagePullPolicy: ["string", "Always, Never or IfNotPresent; defaults from the image tag."],
  securityContext: ["SecurityContext", "Security options for this container."],
  stdin: ["boolean", "Keep a stdin buffer open for the container."],
  stdinOnce: ["boolean", "Close stdin after the first attach session ends."],
  tty: ["boolean", "Allocate a TTY; needs stdin."],
};

/** The Pod and the types it is built from. */
export const POD_TYPES: TypeTable = {
  "core.v1.Pod": {
    doc: "A group of containers scheduled together onto one node, sharing network and volumes.",
    fields: {
      apiVersion: ["string", "The versioned schema of this object."],
      kind: ["string", "The kind of this object: Pod."],
      metadata: ["meta.v1.ObjectMeta", "Standard object metadata."],
      spec: ["PodSpec", "What the pod should run."],
      status: ["PodStatus", "What the pod is doing, as last reported; read-only."],
    },
  },
  "core.v1.PodStatus": {
    doc: "The observed state of a pod, written by the kubelet and the scheduler.",
    open: true,
    fields: {
      phase: ["string", "Pending, Running, Succeeded, Failed or Unknown."],
      conditions: [
        "raw[]",
        "Conditions such as PodScheduled and Ready.",
        { patch: "merge", mergeKey: "type", listType: "map", mapKeys: ["type"] },
      ],
      hostIP: ["string", "The IP of the node the pod runs on."],
      podIP: ["string", "The pod's IP."],
      podIPs: [
        "raw[]",
        "The pod's IPs, one per address family.",
        { patch: "merge", mergeKey: "ip", listType: "map", mapKeys: ["ip"] },
      ],
      startTime: ["time", "When the kubelet accepted the pod."],
      containerStatuses: ["raw[]", "One status per container.", atomic],
      qosClass: ["string", "Guaranteed, Burstable or BestEffort."],
      message: ["string", "Why the pod is in this state, for people."],
      reason: ["string", "Why the pod is in this state, in one word."],
    },
  },
  "core.v1.PodSpec": {
    doc: "The desired state of a pod: its containers, volumes and scheduling constraints.",
    fields: {
      volumes: [
        "Volume[]",
        "Volumes the containers may mount.",
        { patch: "merge,retainKeys", mergeKey: "name", listType: "map" },
      ],
      initContainers: [
        "Container[]",
        "Containers run one after another to completion before the app containers start.",
        byName,
      ],
      containers: [
        "Container[]",
        "The pod's containers; at least one.",
        { ...byName, required: true },
      ],
      ephemeralContainers: [
        "EphemeralContainer[]",
        "Debugging containers added to a running pod.",
        byName,
      ],
      restartPolicy: ["string", "Always, OnFailure or Never: what happens when a container exits."],
      terminationGracePeriodSeconds: [
        "int64",
        "Seconds between the stop signal and a forced kill.",
      ],
      activeDeadlineSeconds: ["int64", "Seconds the pod may be active before it is failed."],
      dnsPolicy: ["string", "ClusterFirst, ClusterFirstWithHostNet, Default or None."],
      nodeSelector: ["{string}", "Node labels the pod's node must have.", { mapType: "atomic" }],
      serviceAccountName: ["string", "The service account the pod runs as."],
      serviceAccount: ["string", "Deprecated alias of serviceAccountName."],
      automountServiceAccountToken: ["boolean", "Whether the service account token is mounted."],
      nodeName: ["string", "The node the pod is bound to; set by the scheduler."],
      hostNetwork: ["boolean", "Use the node's network namespace."],
      hostPID: ["boolean", "Use the node's process namespace."],
      hostIPC: ["boolean", "Use the node's IPC namespace."],
      shareProcessNamespace: ["boolean", "One process namespace for all containers of the pod."],
      securityContext: ["PodSecurityContext", "Security options for the whole pod."],
      imagePullSecrets: ["LocalObjectReference[]", "Secrets used to pull the images.", byName],
      hostname: ["string", "The pod's hostname; the pod name when empty."],
      subdomain: ["string", "With hostname, gives the pod a DNS name under a headless Service."],
      affinity: ["Affinity", "Node and pod (anti-)affinity rules."],
      schedulerName: ["string", "The scheduler that places the pod."],
      tolerations: ["Toleration[]", "Taints the pod tolerates.", atomic],
      hostAliases: [
        "HostAlias[]",
        "Extra /etc/hosts entries.",
        { patch: "merge", mergeKey: "ip", listType: "map", mapKeys: ["ip"] },
      ],
      priorityClassName: ["string", "The PriorityClass giving the pod its priority."],
      priority: ["int32", "The pod's priority, filled in from its priority class."],
      dnsConfig: ["PodDNSConfig", "DNS settings merged with those of the dnsPolicy."],
      readinessGates: [
        "PodReadinessGate[]",
        "Extra conditions that must hold for the pod to be ready.",
        atomic,
      ],
      runtimeClassName: ["string", "The RuntimeClass to run the pod with."],
      enableServiceLinks: ["boolean", "Inject Service environment variables, docker-links style."],
      preemptionPolicy: ["string", "PreemptLowerPriority or Never."],
      overhead: ["{quantity}", "Resources the pod's sandbox uses on top of its containers."],
      topologySpreadConstraints: [
        "TopologySpreadConstraint[]",
        "How pods are spread over topology domains.",
        {
          patch: "merge",
          mergeKey: "topologyKey",
          listType: "map",
          mapKeys: ["topologyKey", "whenUnsatisfiable"],
        },
      ],
      setHostnameAsFQDN: ["boolean", "Set the hostname to the pod's fully qualified domain name."],
      os: ["PodOS", "The operating system the pod needs."],
      hostUsers: ["boolean", "Use the host's user namespace (true) or a new one (false)."],
      schedulingGates: [
        "PodSchedulingGate[]",
        "Gates that keep the pod from being scheduled while present.",
        byName,
      ],
      resourceClaims: [
        "raw[]",
        "Dynamic resource claims the pod uses.",
        { patch: "merge,retainKeys", mergeKey: "name", listType: "map" },
      ],
      resources: ["ResourceRequirements", "Resources for the pod as a whole."],
    },
  },
  "core.v1.Container": { doc: "One container of a pod.", fields: { ...containerFields } },
  "core.v1.EphemeralContainer": {
    doc: "A temporary container added to a running pod, for debugging.",
    fields: {
      ...containerFields,
      targetContainerName: ["string", "The container whose namespaces this one joins."],
    },
  },
  "core.v1.ContainerPort": {
    doc: "A network port of a container.",
    fields: {
      name: ["string", "A name for the port (an IANA service name), unique in the pod."],
      hostPort: ["int32", "The node port to forward to this one."],
      containerPort: ["int32", "The port number in the pod's network namespace.", REQUIRED],
      protocol: ["string", "TCP, UDP or SCTP; TCP by default."],
      hostIP: ["string", "The node IP to bind the host port to."],
    },
  },
  "core.v1.EnvVar": {
    doc: "An environment variable of a container.",
    fields: {
      name: ["string", "The variable's name.", REQUIRED],
      value: ["string", "Its value; $(VAR) references to earlier variables are expanded."],
      valueFrom: ["EnvVarSource", "Where to read the value from instead."],
    },
  },
  "core.v1.EnvVarSource": {
    doc: "A source for an environment variable's value.",
    fields: {
      fieldRef: ["ObjectFieldSelector", "A field of the pod."],
      resourceFieldRef: ["ResourceFieldSelector", "A resource request or limit of a container."],
      configMapKeyRef: ["ConfigMapKeySelector", "A key of a ConfigMap."],
      secretKeyRef: ["SecretKeySelector", "A key of a Secret."],
    },
  },
  "core.v1.ObjectFieldSelector": {
    doc: "Selects a field of the pod.",
    fields: {
      apiVersion: ["string", "The version the field path is written in."],
      fieldPath: ["string", "The path of the field, such as metadata.name.", REQUIRED],
    },
  },
  "core.v1.ResourceFieldSelector": {
    doc: "Selects a resource of a container.",
    fields: {
      containerName: ["string", "The container; needed for volumes."],
      resource: ["string", "The resource, such as limits.cpu.", REQUIRED],
      divisor: ["quantity", "The unit the value is given in."],
    },
  },
  "core.v1.ConfigMapKeySelector": {
    doc: "Selects one key of a ConfigMap.",
    fields: {
      name: ["string", "The ConfigMap's name."],
      key: ["string", "The key.", REQUIRED],
      optional: ["boolean", "Whether a missing ConfigMap or key is allowed."],
    },
  },
  "core.v1.SecretKeySelector": {
    doc: "Selects one key of a Secret.",
    fields: {
      name: ["string", "The Secret's name."],
      key: ["string", "The key.", REQUIRED],
      optional: ["boolean", "Whether a missing Secret or key is allowed."],
    },
  },
  "core.v1.EnvFromSource": {
    doc: "A ConfigMap or Secret whose keys all become environment variables.",
    fields: {
      prefix: ["string", "Prepended to every key."],
      configMapRef: ["ConfigMapEnvSource", "The ConfigMap."],
      secretRef: ["SecretEnvSource", "The Secret."],
    },
  },
  "core.v1.ConfigMapEnvSource": {
    doc: "A ConfigMap used as environment variables.",
    fields: {
      name: ["string", "The ConfigMap's name."],
      optional: ["boolean", "Whether the ConfigMap may be missing."],
    },
  },
  "core.v1.SecretEnvSource": {
    doc: "A Secret used as environment variables.",
    fields: {
      name: ["string", "The Secret's name."],
      optional: ["boolean", "Whether the Secret may be missing."],
    },
  },
  "core.v1.ResourceRequirements": {
    doc: "Compute resources: what is reserved (requests) and the most that may be used (limits).",
    fields: {
      limits: ["{quantity}", "The most of each resource that may be used."],
      requests: ["{quantity}", "What is reserved for scheduling; limits when left out."],
      claims: [
        "ResourceClaim[]",
        "Dynamic resource claims of the pod this container uses.",
        { listType: "map", mapKeys: ["name"] },
      ],
    },
  },
  "core.v1.ResourceClaim": {
    doc: "A reference to one of the pod's resource claims.",
    fields: {
      name: ["string", "The claim's name in pod.spec.resourceClaims.", REQUIRED],
      request: ["string", "One request of the claim."],
    },
  },
  "core.v1.ContainerResizePolicy": {
    doc: "How a container reacts when a resource is resized.",
    fields: {
      resourceName: ["string", "cpu or memory.", REQUIRED],
      restartPolicy: ["string", "NotRequired or RestartContainer.", REQUIRED],
    },
  },
  "core.v1.VolumeMount": {
    doc: "A volume mounted into a container.",
    fields: {
      name: ["string", "The pod volume's name.", REQUIRED],
      mountPath: ["string", "Where in the container it is mounted.", REQUIRED],
      readOnly: ["boolean", "Mount read-only."],
      recursiveReadOnly: [
        "string",
        "Disabled, IfPossible or Enabled: read-only for submounts too.",
      ],
      subPath: ["string", "A path inside the volume to mount instead of its root."],
      subPathExpr: ["string", "Like subPath, with $(VAR) expanded from the environment."],
      mountPropagation: ["string", "None, HostToContainer or Bidirectional."],
    },
  },
  "core.v1.VolumeDevice": {
    doc: "A raw block device from a volume.",
    fields: {
      name: ["string", "The pod volume's name (a PersistentVolumeClaim).", REQUIRED],
      devicePath: ["string", "The device's path in the container.", REQUIRED],
    },
  },
  "core.v1.Probe": {
    doc: "A health check run against a container.",
    fields: {
      exec: ["ExecAction", "Run a command in the container."],
      httpGet: ["HTTPGetAction", "Send an HTTP GET."],
      tcpSocket: ["TCPSocketAction", "Open a TCP connection."],
      grpc: ["GRPCAction", "Call the gRPC health service."],
      initialDelaySeconds: ["int32", "Seconds after start before the first check."],
      timeoutSeconds: ["int32", "Seconds before a check times out."],
      periodSeconds: ["int32", "Seconds between checks."],
      successThreshold: ["int32", "Successes in a row needed after a failure."],
      failureThreshold: ["int32", "Failures in a row before giving up."],
      terminationGracePeriodSeconds: [
        "int64",
        "Grace period when a failed probe kills the container.",
      ],
    },
  },
  "core.v1.ExecAction": {
    doc: "A command run in the container; exit 0 is success.",
    fields: { command: ["string[]", "The command and its arguments, not run in a shell.", atomic] },
  },
  "core.v1.HTTPGetAction": {
    doc: "An HTTP GET; a 2xx or 3xx answer is success.",
    fields: {
      path: ["string", "The path to request."],
      port: ["int-or-string", "The port, by number or container port name.", REQUIRED],
      host: ["string", "The host to connect to; the pod IP by default."],
      scheme: ["string", "HTTP or HTTPS."],
      httpHeaders: ["HTTPHeader[]", "Extra request headers.", atomic],
    },
  },
  "core.v1.HTTPHeader": {
    doc: "One HTTP header.",
    fields: {
      name: ["string", "The header name.", REQUIRED],
      value: ["string", "The header value.", REQUIRED],
    },
  },
  "core.v1.TCPSocketAction": {
    doc: "A TCP connection attempt; connecting is success.",
    fields: {
      port: ["int-or-string", "The port, by number or container port name.", REQUIRED],
      host: ["string", "The host to connect to; the pod IP by default."],
    },
  },
  "core.v1.GRPCAction": {
    doc: "A call to the standard gRPC health checking service.",
    fields: {
      port: ["int32", "The port.", REQUIRED],
      service: ["string", "The service name sent in the request."],
    },
  },
  "core.v1.Lifecycle": {
    doc: "Actions the kubelet runs at points of a container's life.",
    fields: {
      postStart: ["LifecycleHandler", "Run right after the container starts."],
      preStop: ["LifecycleHandler", "Run before the container is stopped."],
    },
  },
  "core.v1.LifecycleHandler": {
    doc: "One lifecycle action.",
    fields: {
      exec: ["ExecAction", "Run a command in the container."],
      httpGet: ["HTTPGetAction", "Send an HTTP GET."],
      tcpSocket: ["TCPSocketAction", "Deprecated; kept for compatibility."],
      sleep: ["SleepAction", "Wait for a while."],
    },
  },
  "core.v1.SleepAction": {
    doc: "A pause.",
    fields: { seconds: ["int64", "How long to sleep.", REQUIRED] },
  },
  "core.v1.SecurityContext": {
    doc: "Security options of a container; they override the pod's.",
    open: true,
    fields: {
      privileged: ["boolean", "Run as privileged, like root on the host."],
      runAsUser: ["int64", "The UID to run as."],
      runAsGroup: ["int64", "The GID to run as."],
      runAsNonRoot: ["boolean", "Refuse to start if the user would be root."],
      readOnlyRootFilesystem: ["boolean", "Mount the root filesystem read-only."],
      allowPrivilegeEscalation: [
        "boolean",
        "Whether a process may gain more privileges than its parent.",
      ],
      capabilities: ["raw", "Linux capabilities to add and drop."],
      seccompProfile: ["raw", "The seccomp profile."],
      seLinuxOptions: ["raw", "The SELinux context."],
      appArmorProfile: ["raw", "The AppArmor profile."],
      procMount: ["string", "Default or Unmasked."],
      windowsOptions: ["raw", "Windows-specific options."],
    },
  },
  "core.v1.PodSecurityContext": {
    doc: "Security options for all containers of a pod.",
    open: true,
    fields: {
      runAsUser: ["int64", "The UID containers run as."],
      runAsGroup: ["int64", "The GID containers run as."],
      runAsNonRoot: ["boolean", "Refuse to start containers that would run as root."],
      fsGroup: ["int64", "A group that owns the pod's volumes."],
      supplementalGroups: [
        "int64[]",
        "Extra groups for the first process of each container.",
        atomic,
      ],
      sysctls: ["raw[]", "Namespaced sysctls to set.", atomic],
      seccompProfile: ["raw", "The seccomp profile."],
    },
  },
  "core.v1.Affinity": {
    doc: "Rules attracting or repelling the pod to nodes and to other pods.",
    fields: {
      nodeAffinity: ["raw", "Rules on node labels."],
      podAffinity: ["raw", "Rules placing the pod near other pods."],
      podAntiAffinity: ["raw", "Rules keeping the pod away from other pods."],
    },
  },
  "core.v1.Toleration": {
    doc: "Lets the pod run on nodes with a matching taint.",
    fields: {
      key: ["string", "The taint key; empty with Exists matches every taint."],
      operator: ["string", "Exists or Equal."],
      value: ["string", "The taint value, for Equal."],
      effect: ["string", "NoSchedule, PreferNoSchedule or NoExecute; empty matches all."],
      tolerationSeconds: ["int64", "For NoExecute: how long the pod stays once the taint appears."],
    },
  },
  "core.v1.TopologySpreadConstraint": {
    doc: "How evenly matching pods must be spread over a topology.",
    open: true,
    fields: {
      maxSkew: ["int32", "The largest allowed difference in pod counts between domains.", REQUIRED],
      topologyKey: ["string", "The node label naming the domains.", REQUIRED],
      whenUnsatisfiable: ["string", "DoNotSchedule or ScheduleAnyway.", REQUIRED],
      labelSelector: ["meta.v1.LabelSelector", "Which pods are counted."],
    },
  },
  "core.v1.HostAlias": {
    doc: "An /etc/hosts entry.",
    fields: {
      ip: ["string", "The IP address.", REQUIRED],
      hostnames: ["string[]", "Names for that address.", atomic],
    },
  },
  "core.v1.PodDNSConfig": {
    doc: "DNS settings of a pod.",
    fields: {
      nameservers: ["string[]", "DNS server IPs.", atomic],
      searches: ["string[]", "Search domains.", atomic],
      options: ["raw[]", "resolver options, each a name and optional value.", atomic],
    },
  },
  "core.v1.PodReadinessGate": {
    doc: "A pod condition that must be True for the pod to be ready.",
    fields: { conditionType: ["string", "The condition's type.", REQUIRED] },
  },
  "core.v1.PodOS": {
    doc: "The operating system of a pod.",
    fields: { name: ["string", "linux or windows.", REQUIRED] },
  },
  "core.v1.PodSchedulingGate": {
    doc: "A gate that holds a pod back from scheduling.",
    fields: { name: ["string", "The gate's name.", REQUIRED] },
  },
  "core.v1.LocalObjectReference": {
    doc: "A reference to an object in the same namespace, by name.",
    fields: { name: ["string", "The object's name."] },
  },
  "core.v1.PodTemplateSpec": {
    doc: "The pods a controller creates: their metadata and spec.",
    fields: {
      metadata: ["meta.v1.ObjectMeta", "Metadata of the pods."],
      spec: ["PodSpec", "Spec of the pods."],
    },
  },
};
