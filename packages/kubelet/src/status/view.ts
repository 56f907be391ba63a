/**
 * The kubelet's view of one pod in the runtime, as the relist builds it from
 * CRI list/status calls: plain data, so status computation is a pure function
 * that tests feed tables of.
 */

/** Lifecycle state of a container instance in the runtime. */
export type RuntimeContainerState = "created" | "running" | "exited" | "unknown";

/** One container instance (one attempt of one spec container) in the runtime. */
export interface RuntimeContainer {
  /** The runtime's container id (no scheme). */
  id: string;
  /** The sandbox it runs in. */
  sandboxId: string;
  /** The spec container's name. */
  name: string;
  state: RuntimeContainerState;
  /** Restarts before this instance was created: 0 for the first. */
  restartCount: number;
  /** Whether it runs as an init container. */
  init: boolean;
  /** Milliseconds since the epoch; 0 when not yet. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** The runtime's reason for the exit: `Completed`, `Error`, `OOMKilled`. */
  reason: string;
  message: string;
  /** The image as the pod named it, and the runtime's image id / digest. */
  image: string;
  imageRef: string;
  /** The spec hash recorded when it was created. */
  hash: string;
}

/** The pod's sandbox in the runtime. */
export interface RuntimeSandbox {
  id: string;
  ready: boolean;
  attempt: number;
  createdAt: number;
  /** Pod IPs, primary first; empty for host-network pods. */
  ips: string[];
}

/** Everything the runtime holds for one pod. */
export interface PodRuntimeView {
  /** The newest sandbox, if any. */
  sandbox?: RuntimeSandbox;
  /** Every container instance still in the runtime, any attempt. */
  containers: RuntimeContainer[];
}

/** Why the kubelet is holding a container in Waiting, e.g. `CrashLoopBackOff`. */
export interface WaitingReason {
  reason: string;
  message: string;
}

/** The kubelet's own records about one spec container. */
export interface ContainerRecord {
  /** Set while the kubelet can't or won't start the container. */
  waiting?: WaitingReason;
  /** The readiness probe's verdict (true once started when there is no readiness probe). */
  ready: boolean;
  /** The startup probe's verdict (true once running when there is no startup probe). */
  started: boolean;
}

/** The newest instance of each container name, and the one before it. */
export function latestInstances(
  containers: RuntimeContainer[],
  name: string,
): { latest?: RuntimeContainer; previous?: RuntimeContainer } {
  const instances = containers
    .filter((c) => c.name === name)
    .sort((a, b) => b.restartCount - a.restartCount || b.createdAt - a.createdAt);
  return { latest: instances[0], previous: instances[1] };
}
