import { Code } from "@connectrpc/connect";
import {
  type ContainerConfig,
  ContainerState,
  type LinuxContainerResources,
  NamespaceMode,
  type PodSandboxConfig,
  PodSandboxState,
} from "@kubekit/proto/cri";
import {
  containerBehaviour,
  DEFAULT_EXEC_RESULT,
  type ExecResult,
  execResult,
  KILLED_EXIT_CODE,
  KnobError,
} from "./behaviour.js";
import { type Clock, type RandomBytes, systemClock, systemRandom } from "./clock.js";
import { notFound, refused, SimRuntimeError } from "./errors.js";
import { matchesLabels } from "./filters.js";
import { newId, normalizeFilterId, resolveId } from "./ids.js";
import { ImageStore, type ImageStoreOptions } from "./image-store.js";
import { Ipv4Pool } from "./ip-pool.js";
import type { ContainerRecord, SandboxRecord } from "./records.js";

/** containerd's default CNI network; pods get addresses from here until told otherwise. */
export const DEFAULT_POD_CIDR = "10.88.0.0/16";

/** Options of a {@link RuntimeState}. */
export interface RuntimeStateOptions extends ImageStoreOptions {
  /** Time source (ns since the epoch); defaults to the wall clock. */
  clock?: Clock;
  /** Randomness for IDs; defaults to node:crypto. */
  random?: RandomBytes;
  /** IPv4 CIDR pod IPs come from until UpdateRuntimeConfig sets one. */
  podCidr?: string;
  /** ExecSync's answer unless a container's knobs say otherwise. */
  execResult?: ExecResult;
}

/** ListPodSandbox's filter, as plain data. */
export interface SandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Readonly<Record<string, string>>;
}

/** ListContainers' (and ListContainerStats') filter, as plain data. */
export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Readonly<Record<string, string>>;
}

function stateName(state: ContainerState): string {
  return ContainerState[state] ?? String(state);
}

function joinLogPath(directory: string, path: string): string {
  if (directory === "" || path === "") return "";
  return `${directory.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * The whole state of one simulated CRI runtime, in memory, with no I/O: pod
 * sandboxes, containers, images and pod IPs, driven by CRI's state machine
 * (sandbox READY → NOTREADY; container CREATED → RUNNING → EXITED) and
 * answering misuse with the gRPC codes containerd 1.6's CRI plugin uses.
 *
 * Time only moves through the injected clock: a container that exits on its
 * own is seen as exited by the first call after its exit time, with the exit
 * time as its finish time, so no timers are involved.
 */
export class RuntimeState {
  readonly images: ImageStore;
  readonly #clock: Clock;
  readonly #random: RandomBytes;
  readonly #pool: Ipv4Pool;
  readonly #defaultExec: ExecResult;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerRecord>();
  /** Reserved sandbox and container names → the ID holding each. */
  readonly #names = new Map<string, string>();
  /** Running containers with an exit time: the only ones the clock can change. */
  readonly #pendingExits = new Set<string>();

  constructor(options: RuntimeStateOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#pool = new Ipv4Pool(options.podCidr ?? DEFAULT_POD_CIDR);
    this.#defaultExec = options.execResult ?? DEFAULT_EXEC_RESULT;
    this.images = new ImageStore(options);
  }

  /** The CIDR new pod IPs come from. */
  get podCidr(): string {
    return this.#pool.cidr;
  }

  /** Takes new pod IPs from `cidr` (UpdateRuntimeConfig); an empty CIDR changes nothing. */
  setPodCidr(cidr: string): void {
    if (cidr === "") return;
    try {
      this.#pool.setCidr(cidr);
    } catch (error) {
      throw new SimRuntimeError(Code.InvalidArgument, (error as Error).message, { cause: error });
    }
  }

  /** Now, by the injected clock. */
  now(): bigint {
    return this.#clock.nowNs();
  }

  /** Applies exits whose time has come. Every public method calls it first. */
  #settle(): void {
    if (this.#pendingExits.size === 0) return;
    const now = this.now();
    for (const id of this.#pendingExits) {
      const container = this.#containers.get(id);
      if (container?.exitAt === undefined || container.exitAt > now) continue;
      this.#exit(container, container.exitAt, container.behaviour.exitCode);
    }
  }

  #exit(container: ContainerRecord, at: bigint, exitCode: number): void {
    container.state = ContainerState.CONTAINER_EXITED;
    container.finishedAt = at;
    container.exitCode = exitCode;
    container.reason = exitCode === 0 ? "Completed" : "Error";
    container.exitAt = undefined;
    this.#pendingExits.delete(container.id);
  }

  #reserveName(name: string, id: string, kind: "sandbox" | "container"): void {
    const holder = this.#names.get(name);
    if (holder !== undefined) {
      throw refused(`cannot reserve ${kind} name "${name}": it is taken by "${holder}"`);
    }
    this.#names.set(name, id);
  }

  #sandbox(idOrPrefix: string): SandboxRecord {
    const id = resolveId(this.#sandboxes, idOrPrefix, "sandbox");
    return this.#sandboxes.get(id)!;
  }

  #container(idOrPrefix: string): ContainerRecord {
    const id = resolveId(this.#containers, idOrPrefix, "container");
    return this.#containers.get(id)!;
  }

  // ---- sandboxes ----------------------------------------------------------

  /** RunPodSandbox: a READY sandbox with a pod IP unless it uses the host network. */
  runSandbox(config: PodSandboxConfig, runtimeHandler = ""): SandboxRecord {
    this.#settle();
    const metadata = config.metadata;
    if (metadata === undefined) throw refused("sandbox config has no metadata");
    const id = newId(this.#random, this.#sandboxes);
    const reservedName = [metadata.name, metadata.namespace, metadata.uid, metadata.attempt].join(
      "_",
    );
    this.#reserveName(reservedName, id, "sandbox");
    const hostNetwork =
      config.linux?.securityContext?.namespaceOptions?.network === NamespaceMode.NODE;
    let ip = "";
    try {
      ip = hostNetwork ? "" : this.#pool.allocate();
    } catch (error) {
      this.#names.delete(reservedName);
      throw error;
    }
    const sandbox: SandboxRecord = {
      id,
      config,
      reservedName,
      runtimeHandler,
      createdAt: this.now(),
      ip,
      state: PodSandboxState.SANDBOX_READY,
    };
    this.#sandboxes.set(id, sandbox);
    return sandbox;
  }

  /** StopPodSandbox: kills its running containers (exit 137) and marks it NOTREADY; idempotent. */
  stopSandbox(idOrPrefix: string): void {
    this.#settle();
    const sandbox = this.#sandbox(idOrPrefix);
    for (const container of this.#containersOf(sandbox.id)) {
      this.#stopContainer(container, KILLED_EXIT_CODE);
    }
    sandbox.state = PodSandboxState.SANDBOX_NOTREADY;
  }

  /**
   * RemovePodSandbox: stops it if needed, removes its containers, frees its
   * name and IP. An unknown ID is not an error (containerd answers OK too).
   */
  removeSandbox(idOrPrefix: string): void {
    this.#settle();
    let sandbox: SandboxRecord;
    try {
      sandbox = this.#sandbox(idOrPrefix);
    } catch (error) {
      if (error instanceof SimRuntimeError && error.code === Code.NotFound) return;
      throw error;
    }
    for (const container of this.#containersOf(sandbox.id)) this.#removeContainer(container);
    sandbox.state = PodSandboxState.SANDBOX_NOTREADY;
    if (sandbox.ip !== "") this.#pool.release(sandbox.ip);
    this.#names.delete(sandbox.reservedName);
    this.#sandboxes.delete(sandbox.id);
  }

  /** PodSandboxStatus: the sandbox an ID (or unique ID prefix) names. */
  sandboxStatus(idOrPrefix: string): Readonly<SandboxRecord> {
    this.#settle();
    return this.#sandbox(idOrPrefix);
  }

  /** ListPodSandbox: sandboxes matching `filter`, oldest first. */
  listSandboxes(filter: SandboxFilter = {}): Readonly<SandboxRecord>[] {
    this.#settle();
    const id = filter.id ? normalizeFilterId(this.#sandboxes, filter.id) : undefined;
    return [...this.#sandboxes.values()].filter(
      (sandbox) =>
        (id === undefined || sandbox.id === id) &&
        (filter.state === undefined || sandbox.state === filter.state) &&
        matchesLabels(sandbox.config.labels, filter.labelSelector),
    );
  }

  #containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.#containers.values()].filter((container) => container.sandboxId === sandboxId);
  }

  // ---- containers ---------------------------------------------------------

  /**
   * CreateContainer: a CREATED container in a READY sandbox, from an image
   * this runtime holds (pull it first, as a kubelet does).
   */
  createContainer(
    sandboxIdOrPrefix: string,
    config: ContainerConfig,
    sandboxConfig?: PodSandboxConfig,
  ): ContainerRecord {
    this.#settle();
    const sandbox = this.#sandbox(sandboxIdOrPrefix);
    if (sandbox.state !== PodSandboxState.SANDBOX_READY) {
      // containerd finds no sandbox task to join, and says NotFound.
      throw notFound(`sandbox "${sandbox.id}" is not ready, so its task`);
    }
    const metadata = config.metadata;
    if (metadata === undefined) throw refused("container config has no metadata");
    const requestedImage = config.image?.image ?? "";
    const image = this.images.find(requestedImage);
    if (image === undefined) throw notFound(`image "${requestedImage}"`);
    const pod = sandbox.config.metadata;
    const reservedName = [
      metadata.name,
      pod?.name,
      pod?.namespace,
      pod?.uid,
      metadata.attempt,
    ].join("_");
    const podAnnotations = sandboxConfig?.annotations ?? sandbox.config.annotations;
    let behaviour: ContainerRecord["behaviour"];
    try {
      behaviour = containerBehaviour(
        {
          containerName: metadata.name,
          argv: [...config.command, ...config.args],
          containerAnnotations: config.annotations,
          podAnnotations,
        },
        this.#defaultExec,
      );
    } catch (error) {
      if (!(error instanceof KnobError)) throw error;
      throw new SimRuntimeError(Code.InvalidArgument, error.message, { cause: error });
    }
    const id = newId(this.#random, this.#containers);
    this.#reserveName(reservedName, id, "container");
    const logDirectory = sandboxConfig?.logDirectory || sandbox.config.logDirectory;
    const container: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      config,
      reservedName,
      imageId: image.id,
      imageName: image.repoTags[0] ?? requestedImage,
      logPath: joinLogPath(logDirectory, config.logPath),
      behaviour,
      createdAt: this.now(),
      state: ContainerState.CONTAINER_CREATED,
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: "",
      exitAt: undefined,
      resources: config.linux?.resources,
    };
    this.#containers.set(id, container);
    return container;
  }

  /** StartContainer: CREATED → RUNNING; anything else is refused, as in containerd. */
  startContainer(idOrPrefix: string): void {
    this.#settle();
    const container = this.#container(idOrPrefix);
    if (container.state !== ContainerState.CONTAINER_CREATED) {
      throw refused(
        `cannot start container "${container.id}": it is in ${stateName(container.state)} state`,
      );
    }
    const sandbox = this.#sandboxes.get(container.sandboxId);
    if (sandbox?.state !== PodSandboxState.SANDBOX_READY) {
      throw refused(`cannot start container "${container.id}": its sandbox is not ready`);
    }
    const now = this.now();
    container.state = ContainerState.CONTAINER_RUNNING;
    container.startedAt = now;
    if (container.behaviour.exitAfterNs !== undefined) {
      container.exitAt = now + container.behaviour.exitAfterNs;
      this.#pendingExits.add(container.id);
      this.#settle();
    }
  }

  #stopContainer(container: ContainerRecord, exitCode: number): void {
    // A CREATED container stays CREATED and an EXITED one keeps its exit, as in containerd.
    if (container.state !== ContainerState.CONTAINER_RUNNING) return;
    this.#exit(container, this.now(), exitCode);
  }

  /** StopContainer: a running container exits with its stop exit code; idempotent. */
  stopContainer(idOrPrefix: string): void {
    this.#settle();
    const container = this.#container(idOrPrefix);
    this.#stopContainer(container, container.behaviour.stopExitCode);
  }

  #removeContainer(container: ContainerRecord): void {
    this.#stopContainer(container, KILLED_EXIT_CODE);
    this.#pendingExits.delete(container.id);
    this.#names.delete(container.reservedName);
    this.#containers.delete(container.id);
  }

  /** RemoveContainer: stops it if running, then forgets it; an unknown ID is fine. */
  removeContainer(idOrPrefix: string): void {
    this.#settle();
    let container: ContainerRecord;
    try {
      container = this.#container(idOrPrefix);
    } catch (error) {
      if (error instanceof SimRuntimeError && error.code === Code.NotFound) return;
      throw error;
    }
    this.#removeContainer(container);
  }

  /** ContainerStatus: the container an ID (or unique ID prefix) names. */
  containerStatus(idOrPrefix: string): Readonly<ContainerRecord> {
    this.#settle();
    return this.#container(idOrPrefix);
  }

  /** ListContainers: containers matching `filter`, oldest first. */
  listContainers(filter: ContainerFilter = {}): Readonly<ContainerRecord>[] {
    this.#settle();
    const id = filter.id ? normalizeFilterId(this.#containers, filter.id) : undefined;
    const sandboxId = filter.podSandboxId
      ? normalizeFilterId(this.#sandboxes, filter.podSandboxId)
      : undefined;
    return [...this.#containers.values()].filter(
      (container) =>
        (id === undefined || container.id === id) &&
        (sandboxId === undefined || container.sandboxId === sandboxId) &&
        (filter.state === undefined || container.state === filter.state) &&
        matchesLabels(container.config.labels, filter.labelSelector),
    );
  }

  /** UpdateContainerResources: records the new limits. */
  updateContainerResources(idOrPrefix: string, resources: LinuxContainerResources | undefined) {
    this.#settle();
    const container = this.#container(idOrPrefix);
    if (resources !== undefined) container.resources = resources;
  }

  /** ExecSync: only in a running container; see {@link execResult} for the answer. */
  execSync(idOrPrefix: string, cmd: readonly string[]): ExecResult {
    this.#settle();
    const container = this.#container(idOrPrefix);
    if (container.state !== ContainerState.CONTAINER_RUNNING) {
      throw refused(`cannot exec in container: it is in ${stateName(container.state)} state`);
    }
    return execResult(cmd, container.behaviour);
  }

  /** ReopenContainerLog: nothing to reopen, but refused unless running, as in containerd. */
  reopenContainerLog(idOrPrefix: string): void {
    this.#settle();
    const container = this.#container(idOrPrefix);
    if (container.state !== ContainerState.CONTAINER_RUNNING) {
      throw refused(`cannot reopen the log of container "${container.id}": it is not running`);
    }
  }

  /** How many sandboxes and containers are held (for scale tests and metrics). */
  counts(): { sandboxes: number; containers: number; images: number; podIps: number } {
    return {
      sandboxes: this.#sandboxes.size,
      containers: this.#containers.size,
      images: this.images.list().length,
      podIps: this.#pool.used,
    };
  }
}
