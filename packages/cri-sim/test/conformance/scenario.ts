import { setTimeout as sleep } from "node:timers/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, ConnectError } from "@connectrpc/connect";
import type { PodSandboxConfigSchema } from "@kubekit/proto/cri";
import {
  ContainerState,
  type ImageService,
  NamespaceMode,
  PodSandboxState,
  type RuntimeService,
} from "@kubekit/proto/cri";

/** A CRI runtime to run the scenario against. */
export interface ScenarioTarget {
  readonly runtime: Client<typeof RuntimeService>;
  readonly images: Client<typeof ImageService>;
  /** An image the runtime already holds (imported or pulled), fully qualified. */
  readonly imageRef: string;
  /** Where the sandbox's container logs go. */
  readonly logDirectory: string;
  /** The cgroup parent to run the pod under (the real runtime needs one we can clean up). */
  readonly cgroupParent: string;
}

/**
 * Everything a kubelet relies on that the scenario observed, in a form that
 * does not depend on the runtime's IDs, timestamps or list order: equal
 * transcripts mean the two runtimes agree.
 */
export type Transcript = Record<string, unknown>;

/** The gRPC code of a failed call, or "ok". */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return `code ${ConnectError.from(error).code}`;
  }
}

const SIMULATED = "kubekit.io/simulated";

function withoutSimulated(annotations: Record<string, string> | undefined) {
  const { [SIMULATED]: _, ...rest } = annotations ?? {};
  return rest;
}

/**
 * Runs a pod's life and its error cases against `target`, recording what a
 * kubelet would see: states, exit codes and reasons, error codes, filter
 * results (as container and pod names), and how IDs, times and image
 * references relate.
 */
export async function runScenario(target: ScenarioTarget): Promise<Transcript> {
  const { runtime, images, imageRef } = target;
  const t: Transcript = {};
  const sandboxConfig: MessageInitShape<typeof PodSandboxConfigSchema> = {
    metadata: { name: "conf", namespace: "default", uid: "conf-uid", attempt: 0 },
    logDirectory: target.logDirectory,
    labels: { app: "conf" },
    annotations: { note: "kept" },
    linux: {
      cgroupParent: target.cgroupParent,
      securityContext: {
        // Host network: the real runtime needs no CNI on this machine.
        namespaceOptions: { network: NamespaceMode.NODE, pid: NamespaceMode.CONTAINER },
      },
    },
  };
  const containerConfig = (
    name: string,
    command: string[],
    labels: Record<string, string> = {},
    image = imageRef,
  ) => ({
    metadata: { name, attempt: 0 },
    image: { image },
    command,
    labels,
    annotations: { "conf/container": name },
    logPath: `${name}.log`,
  });

  // -- runtime and images -----------------------------------------------------
  const version = await runtime.version({ version: "v1" });
  t.version = { version: version.version, apiVersion: version.runtimeApiVersion };
  const { status } = await runtime.status({});
  t.runtimeReady = status?.conditions.find((c) => c.type === "RuntimeReady")?.status;
  const held = await images.imageStatus({ image: { image: imageRef } });
  t.imageHeld = {
    idShape: /^sha256:[0-9a-f]{64}$/.test(held.image?.id ?? ""),
    tagged: held.image?.repoTags.includes(imageRef),
    listed: (await images.listImages({})).images.some((i) => i.id === held.image?.id),
  };
  t.imageById =
    (await images.imageStatus({ image: { image: held.image?.id ?? "" } })).image?.id ===
    held.image?.id;
  t.imageAbsent = (
    await images.imageStatus({ image: { image: "docker.io/kubekit/absent:x" } })
  ).image;
  t.removeAbsentImage = await outcome(
    images.removeImage({ image: { image: "docker.io/kubekit/absent:x" } }),
  );
  t.imageFsInfo = (await images.imageFsInfo({})).imageFilesystems.length > 0;

  // -- unknown IDs --------------------------------------------------------------
  t.unknown = {
    podSandboxStatus: await outcome(runtime.podSandboxStatus({ podSandboxId: "nope" })),
    emptySandboxId: await outcome(runtime.podSandboxStatus({ podSandboxId: "" })),
    stopPodSandbox: await outcome(runtime.stopPodSandbox({ podSandboxId: "nope" })),
    removePodSandbox: await outcome(runtime.removePodSandbox({ podSandboxId: "nope" })),
    containerStatus: await outcome(runtime.containerStatus({ containerId: "nope" })),
    startContainer: await outcome(runtime.startContainer({ containerId: "nope" })),
    stopContainer: await outcome(runtime.stopContainer({ containerId: "nope" })),
    removeContainer: await outcome(runtime.removeContainer({ containerId: "nope" })),
    execSync: await outcome(runtime.execSync({ containerId: "nope", cmd: ["true"] })),
    containerStats: await outcome(runtime.containerStats({ containerId: "nope" })),
    podSandboxStats: await outcome(runtime.podSandboxStats({ podSandboxId: "nope" })),
    reopenContainerLog: await outcome(runtime.reopenContainerLog({ containerId: "nope" })),
    updateContainerResources: await outcome(
      runtime.updateContainerResources({ containerId: "nope", linux: { cpuShares: 2n } }),
    ),
    createInSandbox: await outcome(
      runtime.createContainer({
        podSandboxId: "nope",
        config: containerConfig("x", ["true"]),
        sandboxConfig,
      }),
    ),
  };

  // -- a pod ----------------------------------------------------------------------
  const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig });
  t.sandboxIdShape = /^[0-9a-f]{64}$/.test(podSandboxId);
  const sandbox = (await runtime.podSandboxStatus({ podSandboxId })).status;
  t.sandbox = {
    state: sandbox?.state,
    metadata: { ...sandbox?.metadata, $typeName: undefined },
    labels: sandbox?.labels,
    annotations: withoutSimulated(sandbox?.annotations),
    hostNetworkIp: sandbox?.network?.ip,
    createdAtSet: (sandbox?.createdAt ?? 0n) > 0n,
    byPrefix:
      (await runtime.podSandboxStatus({ podSandboxId: podSandboxId.slice(0, 12) })).status?.id ===
      podSandboxId,
  };
  t.duplicateSandbox = await outcome(runtime.runPodSandbox({ config: sandboxConfig }));

  const create = async (name: string, command: string[], labels?: Record<string, string>) =>
    (
      await runtime.createContainer({
        podSandboxId,
        sandboxConfig,
        config: containerConfig(name, command, labels),
      })
    ).containerId;
  const statusOf = async (containerId: string) =>
    (await runtime.containerStatus({ containerId })).status;

  const main = await create("main", ["sleep", "3600"], { role: "main" });
  t.containerIdShape = /^[0-9a-f]{64}$/.test(main);
  const created = await statusOf(main);
  t.created = {
    state: created?.state,
    exitCode: created?.exitCode,
    startedAt: created?.startedAt,
    finishedAt: created?.finishedAt,
    reason: created?.reason,
    image: created?.image?.image,
    imageRefIsImageId: created?.imageRef === held.image?.id,
    logPath: created?.logPath === `${target.logDirectory}/main.log`,
    labels: created?.labels,
    annotations: withoutSimulated(created?.annotations),
    metadata: { ...created?.metadata, $typeName: undefined },
  };
  t.duplicateContainer = await outcome(create("main", ["sleep", "3600"]));
  t.unpulledImage = await outcome(
    runtime.createContainer({
      podSandboxId,
      sandboxConfig,
      config: containerConfig("noimage", ["true"], {}, "docker.io/kubekit/absent:x"),
    }),
  );
  t.execWhileCreated = await outcome(runtime.execSync({ containerId: main, cmd: ["true"] }));

  await runtime.startContainer({ containerId: main });
  const running = await statusOf(main);
  t.running = {
    state: running?.state,
    startedAfterCreated:
      (running?.startedAt ?? 0n) >= (running?.createdAt ?? 1n) && (running?.startedAt ?? 0n) > 0n,
    finishedAt: running?.finishedAt,
  };
  t.startTwice = await outcome(runtime.startContainer({ containerId: main }));
  t.execSync = {
    exit3: (
      await runtime.execSync({ containerId: main, cmd: ["sh", "-c", "exit 3"], timeout: 10n })
    ).exitCode,
    truth: (await runtime.execSync({ containerId: main, cmd: ["true"], timeout: 10n })).exitCode,
  };
  t.reopenLogRunning = await outcome(runtime.reopenContainerLog({ containerId: main }));

  // A container that exits by itself with code 3.
  const failing = await create("failing", ["sh", "-c", "exit 3"], { role: "job" });
  await runtime.startContainer({ containerId: failing });
  let exited = await statusOf(failing);
  for (
    let attempt = 0;
    attempt < 100 && exited?.state !== ContainerState.CONTAINER_EXITED;
    attempt++
  ) {
    await sleep(50);
    exited = await statusOf(failing);
  }
  t.exitedByItself = {
    state: exited?.state,
    exitCode: exited?.exitCode,
    reason: exited?.reason,
    // Not compared: finished >= started. containerd stamps the start after the task
    // starts, so a command that exits at once may show a finish slightly earlier.
    startedAndFinished: (exited?.startedAt ?? 0n) > 0n && (exited?.finishedAt ?? 0n) > 0n,
  };
  t.startExited = await outcome(runtime.startContainer({ containerId: failing }));
  t.execExited = await outcome(runtime.execSync({ containerId: failing, cmd: ["true"] }));
  t.reopenLogExited = await outcome(runtime.reopenContainerLog({ containerId: failing }));
  t.stopExited = await outcome(runtime.stopContainer({ containerId: failing, timeout: 1n }));
  t.stillExitedWithCode = (await statusOf(failing))?.exitCode;

  const idle = await create("idle", ["sleep", "3600"], { role: "side" });

  // -- filters (as container names, sorted: list order is not part of CRI) ------------
  const names = async (filter: Parameters<typeof runtime.listContainers>[0]["filter"]) =>
    (await runtime.listContainers({ filter })).containers.map((c) => c.metadata?.name).sort();
  const sandboxNames = async (filter: Parameters<typeof runtime.listPodSandbox>[0]["filter"]) =>
    (await runtime.listPodSandbox({ filter })).items.map((s) => s.metadata?.name).sort();
  t.filters = {
    all: await names({}),
    idPrefix: await names({ id: main.slice(0, 12) }),
    fullId: await names({ id: idle }),
    unknownId: await names({ id: "nope" }),
    sandboxPrefix: await names({ podSandboxId: podSandboxId.slice(0, 12) }),
    running: await names({ state: { state: ContainerState.CONTAINER_RUNNING } }),
    created: await names({ state: { state: ContainerState.CONTAINER_CREATED } }),
    exited: await names({ state: { state: ContainerState.CONTAINER_EXITED } }),
    label: await names({ labelSelector: { role: "main" } }),
    labelAndState: await names({
      labelSelector: { role: "job" },
      state: { state: ContainerState.CONTAINER_EXITED },
    }),
    labelMiss: await names({ labelSelector: { role: "none" } }),
    sandboxes: await sandboxNames({}),
    sandboxLabel: await sandboxNames({ labelSelector: { app: "conf" } }),
    sandboxLabelMiss: await sandboxNames({ labelSelector: { app: "other" } }),
    sandboxReady: await sandboxNames({ state: { state: PodSandboxState.SANDBOX_READY } }),
    sandboxIdPrefix: await sandboxNames({ id: podSandboxId.slice(0, 12) }),
  };
  const statsNames = async (filter: Parameters<typeof runtime.listContainerStats>[0]["filter"]) =>
    (await runtime.listContainerStats({ filter })).stats
      .map((s) => s.attributes?.metadata?.name)
      .sort();
  t.statsFilters = {
    byId: await statsNames({ id: main }),
    byLabel: await statsNames({ labelSelector: { role: "main" } }),
    sandboxStats:
      (await runtime.podSandboxStats({ podSandboxId })).stats?.attributes?.id === podSandboxId,
    containerStats:
      (await runtime.containerStats({ containerId: main })).stats?.attributes?.id === main,
  };
  t.updateResources = await outcome(
    runtime.updateContainerResources({ containerId: main, linux: { cpuShares: 512n } }),
  );
  const listed = (await runtime.listContainers({ filter: { id: main } })).containers[0];
  t.listedMain = {
    podSandboxId: listed?.podSandboxId === podSandboxId,
    state: listed?.state,
    imageRefIsImageId: listed?.imageRef === held.image?.id,
    labels: listed?.labels,
  };

  // -- stopping -------------------------------------------------------------------------
  await runtime.stopContainer({ containerId: main, timeout: 1n });
  const stopped = await statusOf(main);
  t.stopped = { state: stopped?.state, exitCode: stopped?.exitCode, reason: stopped?.reason };
  t.stopCreated = await outcome(runtime.stopContainer({ containerId: idle, timeout: 1n }));
  t.createdAfterStop = (await statusOf(idle))?.state;

  const doomed = await create("doomed", ["sleep", "3600"]);
  await runtime.startContainer({ containerId: doomed });
  t.removeRunning = await outcome(runtime.removeContainer({ containerId: doomed }));
  t.removedStatus = await outcome(runtime.containerStatus({ containerId: doomed }));

  const victim = await create("victim", ["sleep", "3600"]);
  await runtime.startContainer({ containerId: victim });
  await runtime.stopPodSandbox({ podSandboxId });
  const killed = await statusOf(victim);
  t.killedWithSandbox = {
    state: killed?.state,
    exitCode: killed?.exitCode,
    reason: killed?.reason,
  };
  t.sandboxStopped = (await runtime.podSandboxStatus({ podSandboxId })).status?.state;
  t.stopSandboxTwice = await outcome(runtime.stopPodSandbox({ podSandboxId }));
  t.sandboxNotReady = await sandboxNames({ state: { state: PodSandboxState.SANDBOX_NOTREADY } });
  t.createInStoppedSandbox = await outcome(create("late", ["sleep", "3600"]));
  t.duplicateWhileStopped = await outcome(runtime.runPodSandbox({ config: sandboxConfig }));

  // -- removing ---------------------------------------------------------------------------
  t.removeSandbox = await outcome(runtime.removePodSandbox({ podSandboxId }));
  t.afterRemoval = {
    sandboxStatus: await outcome(runtime.podSandboxStatus({ podSandboxId })),
    containerStatus: await outcome(runtime.containerStatus({ containerId: main })),
    containers: await names({ podSandboxId }),
    sandboxes: await sandboxNames({}),
  };
  // The name is free again.
  const again = await runtime.runPodSandbox({ config: sandboxConfig });
  t.nameFreedAfterRemoval = again.podSandboxId !== podSandboxId;
  await runtime.stopPodSandbox({ podSandboxId: again.podSandboxId });
  await runtime.removePodSandbox({ podSandboxId: again.podSandboxId });
  return t;
}
