import type { HostFacts } from "./host-facts.js";
import type { ContainerImage, Node, NodeCondition, NodeStatus, Taint } from "./types.js";

/** How the kubelet was told to present its node. */
export interface NodeConfig {
  nodeName: string;
  /** The primary address (`--node-ip` or the host's first IPv4). */
  nodeIP: string;
  /** `--node-labels`. */
  labels: Record<string, string>;
  /** `--register-with-taints`. */
  taints: Taint[];
  /** `--port`: where the kubelet API listens. */
  kubeletPort: number;
  /** `--max-pods`. */
  maxPods: number;
  /** The `vX.Y.Z` the node reports as its kubelet version. */
  kubeletVersion: string;
}

/** What the container runtime says about itself (CRI Version and Status). */
export interface RuntimeHealth {
  /** `<runtimeName>://<runtimeVersion>`, e.g. `containerd://1.6.20`. */
  version: string;
  runtimeReady: boolean;
  networkReady: boolean;
  /** Why the runtime or its network is not ready, as CRI said it. */
  problems: string[];
  images: ContainerImage[];
}

/** The version this kubelet reports (the Kubernetes version it follows). */
export const KUBELET_VERSION = "v1.32.0";

/** Upstream's default hard eviction thresholds, which allocatable leaves out. */
const EVICTION_MEMORY_BYTES = 100n * 1024n * 1024n;
const EVICTION_NODEFS_PERCENT = 10n;

/** Upstream reports at most this many images in node status. */
export const MAX_NODE_STATUS_IMAGES = 50;

/** The labels every kubelet puts on its node, then `--node-labels`. */
export function nodeLabels(config: NodeConfig, facts: HostFacts): Record<string, string> {
  return {
    "kubernetes.io/hostname": config.nodeName,
    "kubernetes.io/os": facts.os,
    "kubernetes.io/arch": facts.architecture,
    "beta.kubernetes.io/os": facts.os,
    "beta.kubernetes.io/arch": facts.architecture,
    ...config.labels,
  };
}

/** The Node the kubelet registers: name, labels, taints (status follows separately). */
export function initialNode(config: NodeConfig, facts: HostFacts): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: config.nodeName,
      labels: nodeLabels(config, facts),
      annotations: { "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: config.taints.length > 0 ? { taints: config.taints } : {},
  };
}

function kibibytes(bytes: bigint): string {
  return `${bytes / 1024n}Ki`;
}

/** Capacity and allocatable: allocatable leaves out upstream's hard eviction thresholds. */
export function nodeResources(
  config: NodeConfig,
  facts: HostFacts,
): Pick<NodeStatus, "capacity" | "allocatable"> {
  const memoryLeft =
    facts.memoryBytes > EVICTION_MEMORY_BYTES ? facts.memoryBytes - EVICTION_MEMORY_BYTES : 0n;
  const storageLeft =
    facts.ephemeralStorageBytes - (facts.ephemeralStorageBytes * EVICTION_NODEFS_PERCENT) / 100n;
  return {
    capacity: {
      cpu: String(facts.cpus),
      memory: kibibytes(facts.memoryBytes),
      "ephemeral-storage": kibibytes(facts.ephemeralStorageBytes),
      pods: String(config.maxPods),
    },
    allocatable: {
      cpu: String(facts.cpus),
      memory: kibibytes(memoryLeft),
      "ephemeral-storage": String(storageLeft),
      pods: String(config.maxPods),
    },
  };
}

type ConditionCore = Pick<NodeCondition, "type" | "status" | "reason" | "message">;

/** The Ready condition: ready when the runtime and its network are. */
export function readyCondition(runtime: RuntimeHealth): ConditionCore {
  if (runtime.runtimeReady && runtime.networkReady) {
    return {
      type: "Ready",
      status: "True",
      reason: "KubeletReady",
      message: "kubelet is posting ready status",
    };
  }
  const problems = [...runtime.problems];
  if (!runtime.runtimeReady && problems.length === 0) problems.push("container runtime is down");
  if (!runtime.networkReady && problems.length === 0) {
    problems.push("container runtime network not ready");
  }
  return {
    type: "Ready",
    status: "False",
    reason: "KubeletNotReady",
    message: problems.join(", "),
  };
}

/** The pressure conditions, all False: this kubelet does no eviction yet. */
const PRESSURE_CONDITIONS: ConditionCore[] = [
  {
    type: "MemoryPressure",
    status: "False",
    reason: "KubeletHasSufficientMemory",
    message: "kubelet has sufficient memory available",
  },
  {
    type: "DiskPressure",
    status: "False",
    reason: "KubeletHasNoDiskPressure",
    message: "kubelet has no disk pressure",
  },
  {
    type: "PIDPressure",
    status: "False",
    reason: "KubeletHasSufficientPID",
    message: "kubelet has sufficient PID available",
  },
];

/**
 * The node status to report at `now`. Conditions keep their
 * `lastTransitionTime` from `previous` while their status is unchanged;
 * every condition's `lastHeartbeatTime` is `now`.
 */
export function buildNodeStatus(
  config: NodeConfig,
  facts: HostFacts,
  runtime: RuntimeHealth,
  now: number,
  previous?: Partial<NodeStatus>,
): NodeStatus {
  const stamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace(".000Z", "Z");
  const conditions = [...PRESSURE_CONDITIONS, readyCondition(runtime)].map((core) => {
    const before = previous?.conditions?.find((c) => c.type === core.type);
    const transition =
      before && before.status === core.status && before.lastTransitionTime
        ? before.lastTransitionTime
        : stamp;
    return { ...core, lastHeartbeatTime: stamp, lastTransitionTime: transition };
  });
  return {
    ...nodeResources(config, facts),
    conditions,
    addresses: [
      { type: "InternalIP", address: config.nodeIP },
      { type: "Hostname", address: config.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: config.kubeletPort } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.systemUUID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: runtime.version,
      kubeletVersion: config.kubeletVersion,
      kubeProxyVersion: "",
      operatingSystem: facts.os,
      architecture: facts.architecture,
    },
    images: runtime.images.slice(0, MAX_NODE_STATUS_IMAGES),
  };
}

function withoutHeartbeats(status: Partial<NodeStatus> | undefined): unknown {
  if (!status) return undefined;
  return {
    ...status,
    conditions: (status.conditions ?? [])
      .map(({ lastHeartbeatTime: _h, ...rest }) => rest)
      .sort((a, b) => a.type.localeCompare(b.type)),
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Whether `next` differs from what the API holds in anything but heartbeat
 * times: upstream's nodeStatusHasChanged. Object key order does not count.
 */
export function nodeStatusChanged(
  current: Partial<NodeStatus> | undefined,
  next: NodeStatus,
): boolean {
  return canonical(withoutHeartbeats(current)) !== canonical(withoutHeartbeats(next));
}

/**
 * Whether to PATCH the node status now: when it changed, or when
 * `reportFrequencyMs` passed since the last report (upstream's logic with
 * node leases on: the lease is the heartbeat, status is sent on change).
 */
export function shouldReportNodeStatus(
  changed: boolean,
  lastReportAt: number | undefined,
  now: number,
  reportFrequencyMs: number,
): boolean {
  return changed || lastReportAt === undefined || now - lastReportAt >= reportFrequencyMs;
}

/** Parses `--register-with-taints`: `key=value:Effect,key:Effect`. */
export function parseTaints(text: string): Taint[] {
  if (!text.trim()) return [];
  return text.split(",").map((item) => {
    const match = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(
      item.trim(),
    );
    if (!match?.[1]) throw new Error(`invalid taint "${item}": want key[=value]:Effect`);
    return {
      key: match[1],
      ...(match[2] !== undefined && match[2] !== "" ? { value: match[2] } : {}),
      effect: match[3] as Taint["effect"],
    };
  });
}

/** Parses `--node-labels`: `key=value,key2=value2`. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text.trim()) return labels;
  for (const item of text.split(",")) {
    const index = item.indexOf("=");
    const key = (index < 0 ? item : item.slice(0, index)).trim();
    if (!key) throw new Error(`invalid label "${item}": want key=value`);
    labels[key] = index < 0 ? "" : item.slice(index + 1).trim();
  }
  return labels;
}
