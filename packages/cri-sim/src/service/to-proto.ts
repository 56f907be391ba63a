import { create } from "@bufbuild/protobuf";
import {
  type Container,
  ContainerSchema,
  type ContainerStats,
  ContainerStatsSchema,
  type ContainerStatus,
  ContainerStatusSchema,
  type Image,
  ImageSchema,
  type PodSandbox,
  PodSandboxSchema,
  type PodSandboxStats,
  PodSandboxStatsSchema,
  type PodSandboxStatus,
  PodSandboxStatusSchema,
} from "@kubekit/proto/cri";
import type { SimImage } from "../state/image-store.js";
import type { ContainerRecord, SandboxRecord } from "../state/records.js";

/**
 * The annotation cri-sim adds to every sandbox and container it reports, so
 * that nobody mistakes a simulated pod for a running one.
 */
export const SIMULATED_ANNOTATION = "kubekit.io/simulated";

function simulated(annotations: Readonly<Record<string, string>>): Record<string, string> {
  return { ...annotations, [SIMULATED_ANNOTATION]: "true" };
}

/** ListPodSandbox's view of a sandbox. */
export function toPodSandbox(sandbox: Readonly<SandboxRecord>): PodSandbox {
  return create(PodSandboxSchema, {
    id: sandbox.id,
    metadata: sandbox.config.metadata,
    state: sandbox.state,
    createdAt: sandbox.createdAt,
    labels: sandbox.config.labels,
    annotations: simulated(sandbox.config.annotations),
    runtimeHandler: sandbox.runtimeHandler,
  });
}

/** PodSandboxStatus's view of a sandbox. */
export function toPodSandboxStatus(sandbox: Readonly<SandboxRecord>): PodSandboxStatus {
  return create(PodSandboxStatusSchema, {
    id: sandbox.id,
    metadata: sandbox.config.metadata,
    state: sandbox.state,
    createdAt: sandbox.createdAt,
    network: { ip: sandbox.ip, additionalIps: [] },
    linux: { namespaces: { options: sandbox.config.linux?.securityContext?.namespaceOptions } },
    labels: sandbox.config.labels,
    annotations: simulated(sandbox.config.annotations),
    runtimeHandler: sandbox.runtimeHandler,
  });
}

/** ListContainers' view of a container. */
export function toContainer(container: Readonly<ContainerRecord>): Container {
  return create(ContainerSchema, {
    id: container.id,
    podSandboxId: container.sandboxId,
    metadata: container.config.metadata,
    image: container.config.image,
    imageRef: container.imageId,
    imageId: container.imageId,
    state: container.state,
    createdAt: container.createdAt,
    labels: container.config.labels,
    annotations: simulated(container.config.annotations),
  });
}

/** ContainerStatus's view of a container. */
export function toContainerStatus(container: Readonly<ContainerRecord>): ContainerStatus {
  return create(ContainerStatusSchema, {
    id: container.id,
    metadata: container.config.metadata,
    state: container.state,
    createdAt: container.createdAt,
    startedAt: container.startedAt,
    finishedAt: container.finishedAt,
    exitCode: container.exitCode,
    image: { image: container.imageName },
    imageRef: container.imageId,
    imageId: container.imageId,
    reason: container.reason,
    message: "",
    labels: container.config.labels,
    annotations: simulated(container.config.annotations),
    mounts: container.config.mounts,
    logPath: container.logPath,
    resources: container.resources === undefined ? undefined : { linux: container.resources },
    stopSignal: container.config.stopSignal,
  });
}

/** An image as ListImages and ImageStatus report it. */
export function toImage(image: SimImage): Image {
  return create(ImageSchema, {
    id: image.id,
    repoTags: image.repoTags,
    repoDigests: image.repoDigests,
    size: image.sizeBytes,
    username: "",
    pinned: false,
  });
}

const zero = { value: 0n };

/** Statistics of a container: plausible zeros, since nothing runs. */
export function toContainerStats(
  container: Readonly<ContainerRecord>,
  now: bigint,
  mountpoint: string,
): ContainerStats {
  return create(ContainerStatsSchema, {
    attributes: {
      id: container.id,
      metadata: container.config.metadata,
      labels: container.config.labels,
      annotations: simulated(container.config.annotations),
    },
    cpu: { timestamp: now, usageCoreNanoSeconds: zero, usageNanoCores: zero },
    memory: {
      timestamp: now,
      workingSetBytes: zero,
      usageBytes: zero,
      rssBytes: zero,
      pageFaults: zero,
      majorPageFaults: zero,
    },
    writableLayer: { timestamp: now, fsId: { mountpoint }, usedBytes: zero, inodesUsed: zero },
  });
}

/** Statistics of a sandbox and its containers: plausible zeros, since nothing runs. */
export function toPodSandboxStats(
  sandbox: Readonly<SandboxRecord>,
  containers: readonly ContainerStats[],
  now: bigint,
): PodSandboxStats {
  const networkInterface = {
    name: "eth0",
    rxBytes: zero,
    rxErrors: zero,
    txBytes: zero,
    txErrors: zero,
  };
  return create(PodSandboxStatsSchema, {
    attributes: {
      id: sandbox.id,
      metadata: sandbox.config.metadata,
      labels: sandbox.config.labels,
      annotations: simulated(sandbox.config.annotations),
    },
    linux: {
      cpu: { timestamp: now, usageCoreNanoSeconds: zero, usageNanoCores: zero },
      memory: { timestamp: now, workingSetBytes: zero, usageBytes: zero, rssBytes: zero },
      network:
        sandbox.ip === ""
          ? undefined
          : { timestamp: now, defaultInterface: networkInterface, interfaces: [networkInterface] },
      process: { timestamp: now, processCount: zero },
      containers: [...containers],
    },
  });
}
