import type { Client } from "@connectrpc/connect";
import { ContainerState, PodSandboxState, type RuntimeService } from "@kubekit/proto/cri";
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

/**
 * Lists the runtime's sandboxes and containers (the PLEG's relist) and groups
 * those the kubelet made by pod UID. Container details that never change once
 * reached (start and exit times, exit code, reason) are fetched once per
 * container state and cached, so a steady relist costs two list calls.
 */
export class Relister {
  private readonly details = new Map<string, RuntimeContainer>();
  private readonly sandboxIps = new Map<string, string[]>();

  constructor(private readonly runtime: Client<typeof RuntimeService>) {}

  /** One relist: every kubelet-made pod in the runtime, by UID. */
  async relist(): Promise<Map<string, PodRuntimeRecord>> {
    const [{ items }, { containers }] = await Promise.all([
      this.runtime.listPodSandbox({}),
      this.runtime.listContainers({}),
    ]);
    const pods = new Map<string, PodRuntimeRecord>();
    const seenSandboxes = new Set<string>();
    for (const item of items.sort((a, b) => Number(a.createdAt - b.createdAt))) {
      const uid = item.labels[POD_UID_LABEL];
      if (!uid) continue;
      seenSandboxes.add(item.id);
      const ready = item.state === PodSandboxState.SANDBOX_READY;
      let ips = this.sandboxIps.get(item.id);
      if (ips === undefined && ready) {
        const { status } = await this.runtime.podSandboxStatus({ podSandboxId: item.id });
        const network = status?.network;
        ips = network?.ip ? [network.ip, ...network.additionalIps.map((p) => p.ip)] : [];
        this.sandboxIps.set(item.id, ips);
      }
      const sandbox: RuntimeSandbox = {
        id: item.id,
        ready,
        attempt: item.metadata?.attempt ?? 0,
        createdAt: nanosToMillis(item.createdAt),
        ips: ips ?? [],
      };
      const pod = pods.get(uid) ?? { containers: [], sandboxes: [], labels: {} };
      pod.sandboxes.push(sandbox);
      pod.sandbox = sandbox;
      pod.labels = item.labels;
      pods.set(uid, pod);
    }
    const seenContainers = new Set<string>();
    for (const container of containers) {
      const uid = container.labels[POD_UID_LABEL];
      const name = container.labels[CONTAINER_NAME_LABEL];
      if (!uid || !name) continue;
      seenContainers.add(container.id);
      const state = stateOf(container.state);
      let detail = this.details.get(container.id);
      if (!detail || detail.state !== state) {
        const { status } = await this.runtime.containerStatus({ containerId: container.id });
        detail = {
          id: container.id,
          sandboxId: container.podSandboxId,
          name,
          state: status ? stateOf(status.state) : state,
          restartCount: Number(container.annotations[CONTAINER_RESTART_COUNT_ANNOTATION] ?? 0),
          init: container.annotations[INIT_CONTAINER_ANNOTATION] === "true",
          createdAt: nanosToMillis(container.createdAt),
          startedAt: status ? nanosToMillis(status.startedAt) : 0,
          finishedAt: status ? nanosToMillis(status.finishedAt) : 0,
          exitCode: status?.exitCode ?? 0,
          reason: status?.reason ?? "",
          message: status?.message ?? "",
          image: container.image?.userSpecifiedImage || container.image?.image || "",
          imageRef: container.imageRef,
          hash: container.annotations[CONTAINER_HASH_ANNOTATION] ?? "",
        };
        this.details.set(container.id, detail);
      }
      const pod = pods.get(uid) ?? { containers: [], sandboxes: [], labels: {} };
      pod.containers.push(detail);
      pods.set(uid, pod);
    }
    for (const id of this.details.keys()) if (!seenContainers.has(id)) this.details.delete(id);
    for (const id of this.sandboxIps.keys()) if (!seenSandboxes.has(id)) this.sandboxIps.delete(id);
    return pods;
  }
}
