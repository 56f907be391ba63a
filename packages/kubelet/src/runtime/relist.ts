import type { Client } from "@connectrpc/connect";
import {
  ContainerState,
  type ContainerStatus,
  PodSandboxState,
  type RuntimeService,
} from "@kubekit/proto/cri";
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_NAME_LABEL,
  CONTAINER_RESTART_COUNT_ANNOTATION,
  INIT_CONTAINER_ANNOTATION,
  POD_UID_LABEL,
} from "../cri/labels.js";
import type {
  PodRuntimeView,
  RuntimeContainer,
  RuntimeContainerState,
  RuntimeSandbox,
} from "../status/view.js";

/** CRI nanosecond timestamps as milliseconds. */
export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

function stateOf(state: ContainerState): RuntimeContainerState {
  switch (state) {
    case ContainerState.CONTAINER_CREATED:
      return "created";
    case ContainerState.CONTAINER_RUNNING:
      return "running";
    case ContainerState.CONTAINER_EXITED:
      return "exited";
    default:
      return "unknown";
  }
}

/** Sandboxes of one pod, every attempt, newest last. */
export interface PodRuntimeRecord extends PodRuntimeView {
  sandboxes: RuntimeSandbox[];
  /** Labels of the newest sandbox, to know an orphan's name and namespace. */
  labels: Record<string, string>;
}

/** What the list and status calls both say about a container. */
interface ContainerFacts {
  id: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  createdAt: bigint;
  image?: { image: string; userSpecifiedImage: string } | undefined;
  imageRef: string;
}

/** The engine's record of a container from its CRI facts and `ContainerStatus`. */
function runtimeContainer(
  facts: ContainerFacts,
  sandboxId: string,
  listedState: RuntimeContainerState,
  status: ContainerStatus | undefined,
): RuntimeContainer {
  return {
    id: facts.id,
    sandboxId,
    name: facts.labels[CONTAINER_NAME_LABEL] ?? "",
    state: status ? stateOf(status.state) : listedState,
    restartCount: Number(facts.annotations[CONTAINER_RESTART_COUNT_ANNOTATION] ?? 0),
    init: facts.annotations[INIT_CONTAINER_ANNOTATION] === "true",
    createdAt: nanosToMillis(facts.createdAt),
    startedAt: status ? nanosToMillis(status.startedAt) : 0,
    finishedAt: status ? nanosToMillis(status.finishedAt) : 0,
    exitCode: status?.exitCode ?? 0,
    reason: status?.reason ?? "",
    message: status?.message ?? "",
    image: facts.image?.userSpecifiedImage || facts.image?.image || "",
    imageRef: facts.imageRef,
    hash: facts.annotations[CONTAINER_HASH_ANNOTATION] ?? "",
  };
}

/**
 * Lists the runtime's sandboxes and containers (the PLEG's relist) and groups
 * those the kubelet made by pod UID. Container details that never change once
 * reached (start and exit times, exit code, reason) are fetched once per
 * container state and cached, so a steady relist costs two list calls; the
 * status calls a relist does need (new sandboxes, containers that changed
 * state) go out together rather than one after another.
 */
export class Relister {
  private readonly details = new Map<string, RuntimeContainer>();
  private readonly sandboxIps = new Map<string, string[]>();

  constructor(private readonly runtime: Client<typeof RuntimeService>) {}

  /**
   * Records a sandbox's IPs the engine already asked the runtime for (it
   * just started the sandbox), so the next relist does not ask again.
   */
  noteSandboxIps(sandboxId: string, ips: string[]): void {
    this.sandboxIps.set(sandboxId, ips);
  }

  /**
   * One container's current state, from `ContainerStatus`: the engine asks
   * right after starting a container so the pod's status can say Running
   * without waiting for the next relist. Cached as a relist would cache it.
   */
  async observe(containerId: string, sandboxId: string): Promise<RuntimeContainer | undefined> {
    const { status } = await this.runtime.containerStatus({ containerId });
    if (!status) return undefined;
    const detail = runtimeContainer(status, sandboxId, stateOf(status.state), status);
    this.details.set(containerId, detail);
    return detail;
  }

  /** One relist: every kubelet-made pod in the runtime, by UID. */
  async relist(): Promise<Map<string, PodRuntimeRecord>> {
    const [{ items }, { containers }] = await Promise.all([
      this.runtime.listPodSandbox({}),
      this.runtime.listContainers({}),
    ]);
    const sandboxes = items
      .filter((item) => item.labels[POD_UID_LABEL])
      .sort((a, b) => Number(a.createdAt - b.createdAt));
    const ours = containers.filter(
      (c) => c.labels[POD_UID_LABEL] && c.labels[CONTAINER_NAME_LABEL],
    );
    await Promise.all([
      ...sandboxes
        .filter((item) => item.state === PodSandboxState.SANDBOX_READY)
        .filter((item) => !this.sandboxIps.has(item.id))
        .map(async (item) => {
          const { status } = await this.runtime.podSandboxStatus({ podSandboxId: item.id });
          const network = status?.network;
          this.sandboxIps.set(
            item.id,
            network?.ip ? [network.ip, ...network.additionalIps.map((p) => p.ip)] : [],
          );
        }),
      ...ours
        .filter((c) => this.details.get(c.id)?.state !== stateOf(c.state))
        .map(async (c) => {
          const { status } = await this.runtime.containerStatus({ containerId: c.id });
          this.details.set(c.id, runtimeContainer(c, c.podSandboxId, stateOf(c.state), status));
        }),
    ]);
    const pods = new Map<string, PodRuntimeRecord>();
    for (const item of sandboxes) {
      const uid = item.labels[POD_UID_LABEL] ?? "";
      const sandbox: RuntimeSandbox = {
        id: item.id,
        ready: item.state === PodSandboxState.SANDBOX_READY,
        attempt: item.metadata?.attempt ?? 0,
        createdAt: nanosToMillis(item.createdAt),
        ips: this.sandboxIps.get(item.id) ?? [],
      };
      const pod = pods.get(uid) ?? { containers: [], sandboxes: [], labels: {} };
      pod.sandboxes.push(sandbox);
      pod.sandbox = sandbox;
      pod.labels = item.labels;
      pods.set(uid, pod);
    }
    for (const container of ours) {
      const uid = container.labels[POD_UID_LABEL] ?? "";
      const detail = this.details.get(container.id);
      if (!detail) continue;
      const pod = pods.get(uid) ?? { containers: [], sandboxes: [], labels: {} };
      pod.containers.push(detail);
      pods.set(uid, pod);
    }
    const seenContainers = new Set(ours.map((c) => c.id));
    const seenSandboxes = new Set(sandboxes.map((s) => s.id));
    for (const id of this.details.keys()) if (!seenContainers.has(id)) this.details.delete(id);
    for (const id of this.sandboxIps.keys()) if (!seenSandboxes.has(id)) this.sandboxIps.delete(id);
    return pods;
  }
}
