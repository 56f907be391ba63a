import type {
  ContainerConfig,
  ContainerState,
  LinuxContainerResources,
  PodSandboxConfig,
  PodSandboxState,
} from "@kubekit/proto/cri";
import type { ContainerBehaviour } from "./behaviour.js";

/** A simulated pod sandbox, as the runtime state holds it. */
export interface SandboxRecord {
  readonly id: string;
  /** The RunPodSandbox config, kept as given. */
  readonly config: PodSandboxConfig;
  /** `name_namespace_uid_attempt`: unique among live sandboxes, as in containerd. */
  readonly reservedName: string;
  readonly runtimeHandler: string;
  readonly createdAt: bigint;
  /** The pod IP; empty for a host-network pod. */
  readonly ip: string;
  state: PodSandboxState;
}

/** A simulated container, as the runtime state holds it. */
export interface ContainerRecord {
  readonly id: string;
  readonly sandboxId: string;
  /** The CreateContainer config, kept as given. */
  readonly config: ContainerConfig;
  /** `name_podname_namespace_uid_attempt`: unique among live containers, as in containerd. */
  readonly reservedName: string;
  /** The image ID (`sha256:…`) the container was created from. */
  readonly imageId: string;
  /** The image's first tag (or the reference as given), as ContainerStatus reports it. */
  readonly imageName: string;
  /** The log directory of the sandbox joined with the container's log path. */
  readonly logPath: string;
  readonly behaviour: ContainerBehaviour;
  readonly createdAt: bigint;
  state: ContainerState;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  /** When it exits on its own; set while running if its behaviour says so. */
  exitAt: bigint | undefined;
  /** Resources as last set by CreateContainer or UpdateContainerResources. */
  resources: LinuxContainerResources | undefined;
}
