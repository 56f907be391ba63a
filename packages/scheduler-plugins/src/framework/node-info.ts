/**
 * What the scheduler knows about one node at the start of a cycle: the Node
 * object, the pods on it (bound or assumed), and totals derived from them.
 */
import type { Node, Pod } from "../api/types.js";
import { type HostPort, HostPortSet, podHostPorts } from "./host-ports.js";
import {
  addResource,
  cloneResource,
  emptyResource,
  podRequests,
  type Resource,
  resourceFromList,
} from "./resource.js";

/** An image on a node, with how many nodes of the snapshot have it (for ImageLocality spreading). */
export interface ImageState {
  sizeBytes: number;
  numNodes: number;
}

/** A pod as cached on a node, with its requests computed once. */
export interface PodInfo {
  pod: Pod;
  requested: Resource;
  nonZeroRequested: Resource;
  /** The pod's host ports (usually none), computed once. */
  hostPorts: readonly HostPort[];
}

const podInfos = new WeakMap<Pod, PodInfo>();

/** Wraps a pod with its computed requests (computed once per pod object; treat it as read-only). */
export function newPodInfo(pod: Pod): PodInfo {
  let info = podInfos.get(pod);
  if (!info) {
    info = {
      pod,
      requested: podRequests(pod),
      nonZeroRequested: podRequests(pod, true),
      hostPorts: podHostPorts(pod),
    };
    podInfos.set(pod, info);
  }
  return info;
}

function hasAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return Boolean(a?.podAffinity || a?.podAntiAffinity);
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return Boolean(
    pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length,
  );
}

/** One node and the pods on it. */
export class NodeInfo {
  readonly pods: PodInfo[];
  /** Sum of the pods' requests. */
  requested: Resource;
  /** Sum of the pods' requests, with CPU/memory defaults for containers that request none. */
  nonZeroRequested: Resource;
  /** The node's allocatable resources. */
  allocatable: Resource;
  /** Host ports used by the pods. */
  usedPorts: HostPortSet;
  /** Images on the node by every name they are known by. */
  imageStates: Map<string, ImageState>;
  /** Bumped on every change, so caches can tell a node's copies apart. */
  generation: number;
  /** The node's name (a field, not a getter: read for every node of every cycle). */
  readonly name: string;

  constructor(
    readonly node: Node,
    /** Internal (clone): the NodeInfo to copy; the copy shares nothing mutable with it. */
    from?: NodeInfo,
  ) {
    // Fields are set here rather than initialized, so a copy (made per node in
    // preemption's and nominated pods' simulations) allocates each only once.
    this.name = node.metadata.name;
    if (from) {
      // Parsing quantities is the costly part of a copy; allocatable only changes with the Node object.
      this.allocatable = from.allocatable;
      this.pods = from.pods.slice();
      this.requested = cloneResource(from.requested);
      this.nonZeroRequested = cloneResource(from.nonZeroRequested);
      this.usedPorts = from.usedPorts.clone();
      this.imageStates =
        from.imageStates.size === 0
          ? new Map()
          : new Map([...from.imageStates].map(([k, v]) => [k, { ...v }]));
      this.generation = from.generation;
      return;
    }
    this.pods = [];
    this.requested = emptyResource();
    this.nonZeroRequested = emptyResource();
    this.usedPorts = new HostPortSet();
    this.imageStates = new Map();
    this.generation = 0;
    this.allocatable = resourceFromList(node.status?.allocatable);
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) {
        this.imageStates.set(name, { sizeBytes: image.sizeBytes ?? 0, numNodes: 1 });
      }
    }
  }

  // Filtered lists memoized per generation: snapshots and plugins ask for them on every cycle.
  #affinityMemo: { generation: number; all: PodInfo[]; requiredAnti: PodInfo[] } | undefined;

  #affinity(): { all: PodInfo[]; requiredAnti: PodInfo[] } {
    if (this.#affinityMemo === undefined || this.#affinityMemo.generation !== this.generation) {
      this.#affinityMemo = {
        generation: this.generation,
        all: this.pods.filter((p) => hasAffinity(p.pod)),
        requiredAnti: this.pods.filter((p) => hasRequiredAntiAffinity(p.pod)),
      };
    }
    return this.#affinityMemo;
  }

  /** Pods on this node with pod affinity or anti-affinity of any kind. */
  get podsWithAffinity(): PodInfo[] {
    return this.#affinity().all;
  }

  /** Pods on this node with required anti-affinity terms. */
  get podsWithRequiredAntiAffinity(): PodInfo[] {
    return this.#affinity().requiredAnti;
  }

  /** Adds a pod's requests and ports to the node. */
  addPod(pod: Pod): void {
    const info = newPodInfo(pod);
    this.generation++;
    this.pods.push(info);
    addResource(this.requested, info.requested);
    addResource(this.nonZeroRequested, info.nonZeroRequested);
    for (const p of info.hostPorts) this.usedPorts.add(p);
  }

  /** Removes a pod (matched by namespace/name, or uid when both have one); false when absent. */
  removePod(pod: Pod): boolean {
    const index = this.pods.findIndex((p) => samePod(p.pod, pod));
    if (index < 0) return false;
    const [info] = this.pods.splice(index, 1);
    this.generation++;
    addResource(this.requested, info!.requested, -1);
    addResource(this.nonZeroRequested, info!.nonZeroRequested, -1);
    for (const p of info!.hostPorts) this.usedPorts.remove(p);
    return true;
  }

  /** A copy that can be changed without touching this one (pods themselves are shared, read-only). */
  clone(): NodeInfo {
    return new NodeInfo(this.node, this);
  }
}

/** True when two pod objects are the same pod. */
export function samePod(a: Pod, b: Pod): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return (
    a.metadata.name === b.metadata.name &&
    (a.metadata.namespace ?? "default") === (b.metadata.namespace ?? "default")
  );
}
