import type { Client } from "@connectrpc/connect";
import { ContainerState, type RuntimeService } from "@kubekit/proto/cri";
import type { Pod } from "../api/types.js";
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from "../cri/labels.js";

/** One runtime instance of a pod's container. */
export interface ContainerInstance {
  /** The runtime's container id. */
  readonly id: string;
  /** The attempt (restart count when it was created). */
  readonly attempt: number;
  readonly state: "created" | "running" | "exited" | "unknown";
  /** The absolute path of its CRI log file. */
  readonly logPath: string;
}

/**
 * How the kubelet API finds a container's instances and their logs: the
 * runtime by default ({@link createCriContainerLocator}); tests inject
 * their own.
 */
export interface ContainerLocator {
  /** The instances of `container` in `pod`, newest (highest attempt) first. */
  instances(pod: Pod, container: string): Promise<ContainerInstance[]>;
  /** The instance's state now (follow ends once it is no longer running). */
  state(id: string): Promise<ContainerInstance["state"]>;
}

const STATES: Record<number, ContainerInstance["state"]> = {
  [ContainerState.CONTAINER_CREATED]: "created",
  [ContainerState.CONTAINER_RUNNING]: "running",
  [ContainerState.CONTAINER_EXITED]: "exited",
};

/**
 * Finds containers through CRI: `ListContainers` by the pod uid and
 * container name labels the engine puts on every container, then
 * `ContainerStatus` for each one's log path. The pod's uid must be the one
 * the engine ran it under.
 */
export function createCriContainerLocator(
  runtime: Client<typeof RuntimeService>,
): ContainerLocator {
  return {
    async instances(pod, container) {
      const { containers } = await runtime.listContainers({
        filter: {
          labelSelector: { [POD_UID_LABEL]: pod.metadata.uid, [CONTAINER_NAME_LABEL]: container },
        },
      });
      const found = await Promise.all(
        containers.map(async (c) => {
          const { status } = await runtime.containerStatus({ containerId: c.id });
          return {
            id: c.id,
            attempt: c.metadata?.attempt ?? 0,
            createdAt: c.createdAt,
            state: STATES[c.state] ?? "unknown",
            logPath: status?.logPath ?? "",
          };
        }),
      );
      found.sort((a, b) =>
        a.attempt !== b.attempt ? b.attempt - a.attempt : Number(b.createdAt - a.createdAt),
      );
      return found.map(({ createdAt: _, ...instance }) => instance);
    },
    async state(id) {
      const { status } = await runtime.containerStatus({ containerId: id }).catch(() => ({
        status: undefined,
      }));
      return status ? (STATES[status.state] ?? "unknown") : "unknown";
    },
  };
}
