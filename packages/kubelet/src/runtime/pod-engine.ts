import { mkdir } from "node:fs/promises";
import { totalmem } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import {
  type ImageService,
  type Mount,
  MountSchema,
  type PodSandboxConfig,
  type RuntimeService,
} from "@kubekit/proto/cri";
import type { Container, Lifecycle, Pod, PodStatus, Quantity } from "../api/types.js";
import {
  containerConfig,
  containerHash,
  containerLogPath,
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
} from "../cri/container-config.js";
import { type DnsSettings, HOST_ONLY_DNS } from "../cri/dns.js";
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, PRE_STOP_HANDLER_ANNOTATION } from "../cri/labels.js";
import {
  ContainerConfigError,
  EMPTY_LOOKUP,
  type ObjectLookup,
  type PodFacts,
} from "../cri/lookup.js";
import { DEFAULT_POD_LOGS_ROOT, podLogDirectory, podSandboxConfig } from "../cri/sandbox-config.js";
import { Backoff, CONTAINER_BACKOFF, IMAGE_PULL_BACKOFF } from "../lifecycle/backoff.js";
import { type Clock, SYSTEM_CLOCK } from "../lifecycle/clock.js";
import { shouldRestart } from "../lifecycle/restart-policy.js";
import { createProbeExecutor, type ProbeExecutor } from "../probe/executors.js";
import { type ProbeKind, ProbeState, probeSettings } from "../probe/probe-state.js";
import { computePodStatus } from "../status/pod-status.js";
import { podQosClass } from "../status/qos.js";
import { latestInstances, type RuntimeContainer } from "../status/view.js";
import { containerMounts, preparePodVolumes, removePodDirectory } from "../volumes/volumes.js";
import { DEFAULT_CGROUP_ROOT, podCgroupParent, removeCgroup } from "./cgroups.js";
import { ensureImage, ImagePullError } from "./image-puller.js";
import { newPodState, type PodState, recordOf } from "./pod-state.js";
import { type PodRuntimeRecord, Relister } from "./relist.js";
import type { PodSource, StatusSink } from "./seams.js";
import {
  createTerminationMessageFile,
  readTerminationMessage,
  terminationMessageFile,
  terminationMessagePath,
} from "./termination-message.js";

/** Backoff shape: first delay and cap, in ms. */
export interface BackoffShape {
  initialMs: number;
  maxMs: number;
}

/** Structured log lines; pino's `(fields, message)` shape. */
export type EngineLogger = (fields: Record<string, unknown>, message: string) => void;

/** Settings and collaborators of a {@link PodEngine}. */
export interface PodEngineOptions {
  /** CRI clients (a Connect client over the runtime's unix socket, or in memory). */
  runtime: Client<typeof RuntimeService>;
  images: Client<typeof ImageService>;
  source: PodSource;
  sink: StatusSink;
  nodeName: string;
  /** The node's addresses, primary first. */
  hostIPs: string[];
  /** Root of per-pod directories (volumes): upstream's `/var/lib/kubelet/pods`. */
  podsDir: string;
  /** Root of pod log directories; `/var/log/pods` by default. */
  podLogsRoot?: string;
  /** Root of pod cgroups (cgroupfs layout); `/kubepods` by default. */
  cgroupRoot?: string;
  dns?: DnsSettings;
  lookup?: ObjectLookup;
  /** What containers without limits may use; cpu defaults to "1", memory to the host's. */
  allocatable?: Record<string, Quantity>;
  memoryCapacityBytes?: bigint;
  clock?: Clock;
  /** Crash-loop backoff; upstream's 10 s → 5 min unless given (tests pass a short one). */
  containerBackoff?: BackoffShape;
  imageBackoff?: BackoffShape;
  /**
   * Exited instances kept per container besides the newest, for `lastState`
   * and logs; older ones are removed when a new instance starts. Upstream's
   * `--maximum-dead-containers-per-container` defaults to 1.
   */
  maxDeadContainersPerContainer?: number;
  /** How often the loop relists and syncs; 1 s by default. */
  syncIntervalMs?: number;
  /** Runs probes and exec hooks; CRI exec, HTTP and TCP by default. */
  probeExecutor?: ProbeExecutor;
  /** Scheme of container ids in status; `containerd` by default. */
  runtimeName?: string;
  log?: EngineLogger;
  /** Debug-level lines: how long each relist and each step of starting a pod took. */
  debug?: EngineLogger;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Milliseconds from `from` to `to` (now by default), on the monotonic clock, rounded. */
function elapsed(from: number, to = performance.now()): number {
  return Math.round(to - from);
}

function graceSeconds(pod: Pod): number {
  return (
    pod.metadata.deletionGracePeriodSeconds ??
    pod.spec.terminationGracePeriodSeconds ??
    DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
  );
}

/**
 * The kubelet's pod worker over CRI. Each {@link syncOnce} relists the
 * runtime (the PLEG), then for every desired pod ensures a sandbox, pulls
 * images, runs init containers in order and then the containers, restarts
 * exited ones per the restart policy with crash-loop backoff, runs probes,
 * and reports the pod's status when it changed; pods being deleted or no
 * longer desired are stopped gracefully (preStop first) and removed. All
 * state it needs after a restart is in the runtime's labels and
 * annotations, so a new engine adopts running pods without restarting them.
 */
export class PodEngine {
  private readonly clock: Clock;
  private readonly relister: Relister;
  private readonly containerBackoff: Backoff;
  private readonly imageBackoff: Backoff;
  private readonly probe: ProbeExecutor;
  private readonly lookup: ObjectLookup;
  private readonly dns: DnsSettings;
  private readonly states = new Map<string, PodState>();
  /** Each pod's sync or termination in progress: never two at once for one pod. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Pods deleted gracefully and fully cleaned up, so the sink hears of it once. */
  private readonly terminated = new Set<string>();
  private readonly runtimeName: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** Relists done so far (each followed by a dispatch of every pod): for metrics and tests. */
  private relists = 0;
  /** Relists started so far: a pod's work that ended after relist N began makes relist N stale for it. */
  private relistsStarted = 0;
  /** Per pod: {@link relistsStarted} when its last work ended. */
  private readonly workEndedAt = new Map<string, number>();
  private lastRelist: number | undefined;
  /** A sync was asked for while one ran: skip the next wait. */
  private syncRequested = false;
  /** The pods the newest finished relist found in the runtime. */
  private lastRuntimeView: ReadonlyMap<string, PodRuntimeRecord> | undefined;

  constructor(private readonly options: PodEngineOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.relister = new Relister(options.runtime);
    this.containerBackoff = new Backoff({
      ...(options.containerBackoff ?? CONTAINER_BACKOFF),
      clock: this.clock,
    });
    this.imageBackoff = new Backoff({
      ...(options.imageBackoff ?? IMAGE_PULL_BACKOFF),
      clock: this.clock,
    });
    this.probe = options.probeExecutor ?? createProbeExecutor(options.runtime);
    this.lookup = options.lookup ?? EMPTY_LOOKUP;
    this.dns = options.dns ?? HOST_ONLY_DNS;
    this.runtimeName = options.runtimeName ?? "containerd";
  }

  /** Starts the sync loop: a sync every `syncIntervalMs` until {@link stop}. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await this.dispatch();
        } catch (error) {
          this.log({ err: errorText(error) }, "sync failed");
        }
        if (this.stopping) break;
        if (this.syncRequested) {
          this.syncRequested = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.syncIntervalMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /**
   * Syncs now rather than at the next tick: the pod source saw a change.
   * A pod with work in flight is synced again at the tick after that work ends.
   * When the change is a pod the engine has never seen, that pod's sync
   * starts at once, without waiting for a relist (see {@link startIfNew}),
   * and nothing else is relisted: pods arriving one by one would otherwise
   * each relist the runtime and re-sync every other pod.
   */
  requestSync(changed?: Pod): void {
    if (changed && this.startIfNew(changed)) return;
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    } else {
      this.syncRequested = true;
    }
  }

  /**
   * Starts syncing a pod this engine has never seen, from an empty runtime
   * view, as upstream's pod worker syncs a new pod without waiting for the
   * PLEG. That view is right only if nothing of the pod can be in the
   * runtime: the engine has relisted since it started (so leftovers of an
   * earlier kubelet would be in that relist), the relist did not find the
   * pod, and no work of this engine ever touched it. Otherwise the pod
   * waits for the next relist like any other change.
   */
  private startIfNew(pod: Pod): boolean {
    const uid = pod.metadata.uid;
    const view = this.lastRuntimeView;
    if (this.stopping || !view || view.has(uid) || pod.metadata.deletionTimestamp) return false;
    if (this.states.has(uid) || this.inFlight.has(uid) || this.workEndedAt.has(uid)) return false;
    if (!this.options.source.pods().some((p) => p.metadata.uid === uid)) return false;
    this.debug({ pod: uid }, "new pod, syncing before the next relist");
    this.launch(uid, () => this.syncPod(pod, { containers: [], sandboxes: [], labels: {} }));
    return true;
  }

  /** When the last relist finished (the clock's ms), or undefined before the first. */
  get lastRelistAt(): number | undefined {
    return this.lastRelist;
  }

  /** How many relist-and-dispatch rounds the engine has done. */
  get syncCount(): number {
    return this.relists;
  }

  /** UIDs of the pods the source wants run now. */
  desiredPodUids(): string[] {
    return this.options.source.pods().map((pod) => pod.metadata.uid);
  }

  /** How many pods the engine is tracking (running, starting or stopping). */
  get podCount(): number {
    return this.states.size;
  }

  /** Stops the loop and waits for pod work in progress; leaves pods running. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await Promise.all(this.inFlight.values());
  }

  /**
   * One relist and one sync of every pod, desired or orphaned, then waits
   * until all pod work (including work an earlier tick started) is done.
   */
  async syncOnce(): Promise<void> {
    await this.dispatch();
    await Promise.all(this.inFlight.values());
  }

  /**
   * Relists, then starts a sync for every pod with none in flight, without
   * waiting for them: one pod's long graceful stop holds up only that pod,
   * as upstream's per-pod workers do.
   */
  private async dispatch(): Promise<void> {
    const relist = ++this.relistsStarted;
    const began = performance.now();
    const inRuntime = await this.relister.relist();
    this.relists++;
    this.lastRelist = this.clock.now();
    this.lastRuntimeView = inRuntime;
    this.debug({ relist, pods: inRuntime.size, ms: elapsed(began) }, "relisted");
    const desired = new Map(this.options.source.pods().map((pod) => [pod.metadata.uid, pod]));
    for (const [uid, pod] of desired) {
      const record = inRuntime.get(uid) ?? { containers: [], sandboxes: [], labels: {} };
      if (pod.metadata.deletionTimestamp && this.terminated.has(uid) && !inRuntime.has(uid)) {
        continue; // already reported gone; waiting for the source to drop it
      }
      if (this.staleFor(uid, relist)) continue;
      this.launch(uid, () =>
        pod.metadata.deletionTimestamp
          ? this.terminatePod(pod, record, graceSeconds(pod), true)
          : this.syncPod(pod, record),
      );
    }
    for (const [uid, record] of inRuntime) {
      if (desired.has(uid) || this.staleFor(uid, relist)) continue;
      this.launch(uid, () => this.terminatePod(this.orphanPod(uid, record), record, 0, false));
    }
    // Forget a pod only when this relist shows it gone and is newer than its
    // last work: a relist begun before that work may miss what it made.
    const gone = (uid: string) =>
      !desired.has(uid) &&
      !inRuntime.has(uid) &&
      !this.inFlight.has(uid) &&
      !this.staleFor(uid, relist);
    for (const uid of this.states.keys()) if (gone(uid)) this.states.delete(uid);
    for (const uid of this.terminated) if (!desired.has(uid)) this.terminated.delete(uid);
    for (const uid of this.workEndedAt.keys()) if (gone(uid)) this.workEndedAt.delete(uid);
  }

  /**
   * Whether the relist numbered `relist` predates the end of the pod's last
   * work: it may miss a container that work just made, so syncing from it
   * could start a second one. Such a pod waits for the next tick's relist
   * (upstream's pod workers likewise wait for a cache newer than their last
   * sync, which the PLEG's 1 s relist brings). That wait is not asked to
   * come sooner: the work already reported the pod's status, and when many
   * pods finish starting one after another, asking would relist once per
   * pod and re-sync every pod each time.
   */
  private staleFor(uid: string, relist: number): boolean {
    return (this.workEndedAt.get(uid) ?? 0) >= relist;
  }

  /** Runs one pod's work unless that pod already has work in flight. */
  private launch(uid: string, work: () => Promise<void>): void {
    if (this.inFlight.has(uid)) return;
    const job = work()
      .catch((error) => this.log({ pod: uid, err: errorText(error) }, "pod sync failed"))
      .finally(() => {
        this.inFlight.delete(uid);
        this.workEndedAt.set(uid, this.relistsStarted);
      });
    this.inFlight.set(uid, job);
  }

  private log(fields: Record<string, unknown>, message: string): void {
    this.options.log?.(fields, message);
  }

  private debug(fields: Record<string, unknown>, message: string): void {
    this.options.debug?.(fields, message);
  }

  /** A stand-in pod for runtime leftovers the source no longer lists. */
  private orphanPod(uid: string, record: PodRuntimeRecord): Pod {
    return {
      metadata: {
        uid,
        name: record.labels[POD_NAME_LABEL] ?? uid,
        namespace: record.labels[POD_NAMESPACE_LABEL] ?? "default",
      },
      spec: { containers: [] },
    };
  }

  private stateOf(pod: Pod, record: PodRuntimeRecord): PodState {
    let state = this.states.get(pod.metadata.uid);
    if (!state) {
      // A pod this kubelet has not seen keeps the start time the apiserver
      // recorded; failing that, an adopted pod started with its first sandbox.
      const recorded = pod.status?.startTime ? Date.parse(pod.status.startTime) : Number.NaN;
      const first = record.sandboxes[0];
      state = newPodState(
        Number.isFinite(recorded) ? recorded : first ? first.createdAt : this.clock.now(),
      );
      if (pod.status?.conditions) {
        state.lastStatus = pod.status as PodStatus;
      }
      this.states.set(pod.metadata.uid, state);
    }
    return state;
  }

  private facts(ips: string[]): PodFacts {
    return {
      nodeName: this.options.nodeName,
      hostIPs: this.options.hostIPs,
      podIPs: ips,
      allocatable: {
        cpu: "1",
        memory: String(totalmem()),
        ...(this.options.allocatable ?? {}),
      },
    };
  }

  private sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
    return podSandboxConfig(pod, attempt, {
      podLogsRoot: this.options.podLogsRoot ?? DEFAULT_POD_LOGS_ROOT,
      dns: this.dns,
      cgroupParent: podCgroupParent(
        this.options.cgroupRoot ?? DEFAULT_CGROUP_ROOT,
        podQosClass(pod),
        pod.metadata.uid,
      ),
    });
  }

  /** Whether the pod has finished for good: its phase is terminal. */
  private isTerminal(state: PodState): boolean {
    const phase = state.lastStatus?.phase;
    return phase === "Succeeded" || phase === "Failed";
  }

  private async syncPod(pod: Pod, record: PodRuntimeRecord): Promise<void> {
    const state = this.stateOf(pod, record);
    this.refreshRecords(pod, state, record);
    const deadline = pod.spec.activeDeadlineSeconds;
    if (
      deadline !== undefined &&
      !state.failure &&
      this.clock.now() - state.startTime >= deadline * 1000
    ) {
      state.failure = {
        reason: "DeadlineExceeded",
        message: "Pod was active on the node longer than the specified deadline",
      };
    }
    if (state.failure) {
      await this.failPod(pod, state, record);
      return;
    }
    // Decide on the current view first: a finished pod gets no new sandbox.
    await this.report(pod, state, record);
    if (this.isTerminal(state)) {
      if (record.sandbox?.ready) {
        await this.options.runtime.stopPodSandbox({ podSandboxId: record.sandbox.id });
      }
      return;
    }
    let sandbox = record.sandbox;
    let config = this.sandboxConfig(pod, sandbox?.attempt ?? 0);
    if (!sandbox?.ready) {
      const attempt = sandbox ? sandbox.attempt + 1 : 0;
      config = this.sandboxConfig(pod, attempt);
      if (sandbox) await this.stopSandboxContainers(record, sandbox.id);
      await mkdir(config.logDirectory, { recursive: true });
      state.volumes = undefined;
      const began = performance.now();
      const { podSandboxId } = await this.options.runtime.runPodSandbox({ config });
      const ran = performance.now();
      const { status } = await this.options.runtime.podSandboxStatus({ podSandboxId });
      const network = status?.network;
      sandbox = {
        id: podSandboxId,
        ready: true,
        attempt,
        createdAt: this.clock.now(),
        ips: network?.ip ? [network.ip, ...network.additionalIps.map((p) => p.ip)] : [],
      };
      this.relister.noteSandboxIps(podSandboxId, sandbox.ips);
      record.sandbox = sandbox;
      record.sandboxes.push(sandbox);
      this.log(
        { pod: pod.metadata.uid, sandbox: podSandboxId, ms: elapsed(began) },
        "sandbox started",
      );
      this.debug(
        { pod: pod.metadata.uid, runPodSandboxMs: elapsed(began, ran), statusMs: elapsed(ran) },
        "sandbox timings",
      );
    }
    const inSandbox = record.containers.filter((c) => c.sandboxId === sandbox.id);
    const initDone = await this.syncInitContainers(pod, state, record, inSandbox, config);
    if (initDone) {
      for (const container of pod.spec.containers) {
        await this.syncContainer(pod, state, record, inSandbox, config, container);
      }
    }
    // Containers started just now are running in `record`: their ready and
    // started flags must say so in the same report that says Running.
    this.refreshRecords(pod, state, record);
    await this.report(pod, state, record);
  }

  /** Stops a pod the kubelet failed: containers (preStop first), then the sandbox; reports Failed. */
  private async failPod(pod: Pod, state: PodState, record: PodRuntimeRecord): Promise<void> {
    const specs = new Map(
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]),
    );
    const running = record.containers.filter((c) => c.state === "running");
    await Promise.all(
      running.map((c) =>
        this.killContainer(c.id, this.podIP(record), specs.get(c.name), pod, graceSeconds(pod)),
      ),
    );
    const fresh = running.length
      ? ((await this.relister.relist()).get(pod.metadata.uid) ?? record)
      : record;
    if (fresh.sandbox?.ready) {
      await this.options.runtime.stopPodSandbox({ podSandboxId: fresh.sandbox.id });
    }
    this.refreshRecords(pod, state, fresh);
    await this.report(pod, state, fresh);
  }

  /** Runs init containers one at a time; true once all have succeeded in this sandbox. */
  private async syncInitContainers(
    pod: Pod,
    state: PodState,
    record: PodRuntimeRecord,
    inSandbox: RuntimeContainer[],
    config: PodSandboxConfig,
  ): Promise<boolean> {
    for (const container of pod.spec.initContainers ?? []) {
      const { latest } = latestInstances(inSandbox, container.name);
      if (latest?.state === "exited" && latest.exitCode === 0) continue;
      if (latest?.state === "running") return false;
      if (latest?.state === "exited" && !shouldRestart(pod, latest.exitCode, true)) return false;
      await this.maybeStart(pod, state, record, config, container, true);
      return false;
    }
    return true;
  }

  private async syncContainer(
    pod: Pod,
    state: PodState,
    record: PodRuntimeRecord,
    inSandbox: RuntimeContainer[],
    config: PodSandboxConfig,
    container: Container,
  ): Promise<void> {
    const { latest } = latestInstances(inSandbox, container.name);
    if (latest?.state === "running") {
      if (latest.hash && latest.hash !== containerHash(container)) {
        // The spec changed (say, a new image): replace the container whatever
        // the restart policy, as upstream does.
        this.log({ pod: pod.metadata.uid, container: container.name }, "spec changed, replacing");
        await this.killContainer(latest.id, this.podIP(record), container, pod, graceSeconds(pod));
        await this.maybeStart(pod, state, record, config, container, false);
        return;
      }
      await this.runProbes(pod, state, record, container, latest);
      return;
    }
    if (latest?.state === "exited" && !shouldRestart(pod, latest.exitCode)) {
      recordOf(state, container.name).waiting = undefined;
      return;
    }
    await this.maybeStart(pod, state, record, config, container, false);
  }

  /**
   * Starts a container unless its crash-loop backoff holds it; records why
   * it waits when it can't start (image, config, create or start errors).
   */
  private async maybeStart(
    pod: Pod,
    state: PodState,
    record: PodRuntimeRecord,
    config: PodSandboxConfig,
    container: Container,
    init: boolean,
  ): Promise<void> {
    const entry = recordOf(state, container.name);
    const { latest } = latestInstances(record.containers, container.name);
    const now = this.clock.now();
    const key = `${pod.metadata.uid}/${container.name}`;
    if (latest?.state === "exited") {
      const since = latest.finishedAt || now;
      if (this.containerBackoff.inBackoffSince(key, since)) {
        const delay = Math.round(this.containerBackoff.delay(key) / 1000);
        const { name, namespace = "default", uid } = pod.metadata;
        entry.waiting = {
          reason: "CrashLoopBackOff",
          message: `back-off ${delay}s restarting failed container=${container.name} pod=${name}_${namespace}(${uid})`,
        };
        return;
      }
      this.containerBackoff.next(key, since);
    }
    const restartCount = latest ? latest.restartCount + 1 : 0;
    const began = performance.now();
    let image: string;
    try {
      image = await ensureImage(this.options.images, this.imageBackoff, pod, container, now);
    } catch (error) {
      if (error instanceof ImagePullError) entry.waiting = error.toWaiting();
      else entry.waiting = { reason: "ErrImagePull", message: errorText(error) };
      return;
    }
    const imaged = performance.now();
    let created: string;
    try {
      if (!state.volumes) {
        state.volumes = await preparePodVolumes(pod, this.options.podsDir, this.lookup);
      }
      const containerConfigMessage = containerConfig({
        pod,
        container,
        restartCount,
        image,
        mounts: [
          ...containerMounts(pod, container, state.volumes),
          ...(await this.terminationMessageMount(pod, container, restartCount)),
        ],
        init,
        lookup: this.lookup,
        facts: this.facts(record.sandbox?.ips ?? []),
        resources: {
          qos: podQosClass(pod),
          memoryCapacityBytes: this.options.memoryCapacityBytes ?? BigInt(totalmem()),
        },
      });
      await mkdir(join(config.logDirectory, container.name), { recursive: true });
      const response = await this.options.runtime.createContainer({
        podSandboxId: record.sandbox?.id ?? "",
        config: containerConfigMessage,
        sandboxConfig: config,
      });
      created = response.containerId;
    } catch (error) {
      entry.waiting = {
        reason:
          error instanceof ContainerConfigError
            ? "CreateContainerConfigError"
            : "CreateContainerError",
        message: errorText(error),
      };
      return;
    }
    const createdAt = performance.now();
    try {
      await this.options.runtime.startContainer({ containerId: created });
    } catch (error) {
      entry.waiting = { reason: "RunContainerError", message: errorText(error) };
      await this.options.runtime.removeContainer({ containerId: created }).catch(() => {});
      return;
    }
    const startedAt = performance.now();
    entry.waiting = undefined;
    // The pod's status can say Running now, not a relist later.
    const observed = await this.relister
      .observe(created, record.sandbox?.id ?? "")
      .catch(() => undefined);
    if (observed) record.containers.push(observed);
    this.log(
      { pod: pod.metadata.uid, container: container.name, id: created, ms: elapsed(began) },
      "container started",
    );
    this.debug(
      {
        pod: pod.metadata.uid,
        container: container.name,
        imageMs: elapsed(began, imaged),
        createMs: elapsed(imaged, createdAt),
        startMs: elapsed(createdAt, startedAt),
        statusMs: elapsed(startedAt),
      },
      "container timings",
    );
    await this.removeDeadInstances(record, container.name);
    if (container.lifecycle?.postStart) {
      const outcome = await this.probe(
        container.lifecycle.postStart,
        {
          containerId: created,
          podIP: record.sandbox?.ips[0] ?? this.options.hostIPs[0] ?? "",
          container,
        },
        graceSeconds(pod) * 1000,
      );
      if (outcome === "failure") {
        entry.waiting = { reason: "PostStartHookError", message: "postStart hook failed" };
        await this.killContainer(created, this.podIP(record), container, pod, 0);
      }
    }
  }

  /** The pod's primary IP; the node's for host-network pods. */
  private podIP(record: PodRuntimeRecord): string {
    return record.sandbox?.ips[0] ?? this.options.hostIPs[0] ?? "127.0.0.1";
  }

  /** Removes the oldest exited instances of a container beyond the configured number. */
  private async removeDeadInstances(record: PodRuntimeRecord, name: string): Promise<void> {
    const keep = this.options.maxDeadContainersPerContainer ?? 1;
    const dead = record.containers
      .filter((c) => c.name === name && c.state === "exited")
      .sort((a, b) => b.restartCount - a.restartCount);
    for (const old of dead.slice(keep)) {
      await this.options.runtime.removeContainer({ containerId: old.id }).catch(() => {});
    }
  }

  /** Updates readiness and started flags of running containers; clears waiting of running ones. */
  private refreshRecords(pod: Pod, state: PodState, record: PodRuntimeRecord): void {
    const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    for (const container of all) {
      const entry = recordOf(state, container.name);
      const { latest } = latestInstances(record.containers, container.name);
      if (latest?.state !== "running") {
        entry.ready = false;
        entry.started = false;
        continue;
      }
      entry.waiting = undefined;
      const startup = container.startupProbe
        ? state.probes.get(`${latest.id}/startup`)?.result === "success"
        : true;
      entry.started = startup;
      const readiness = container.readinessProbe
        ? state.probes.get(`${latest.id}/readiness`)?.result === "success"
        : true;
      entry.ready = startup && readiness;
    }
  }

  private probeStateOf(
    state: PodState,
    id: string,
    kind: ProbeKind,
    container: Container,
  ): ProbeState {
    const probe =
      kind === "liveness"
        ? container.livenessProbe
        : kind === "readiness"
          ? container.readinessProbe
          : container.startupProbe;
    const key = `${id}/${kind}`;
    let probeState = state.probes.get(key);
    if (!probeState) {
      probeState = new ProbeState(kind, probeSettings(probe ?? {}));
      state.probes.set(key, probeState);
    }
    return probeState;
  }

  /** Runs the due probes of a running container; a failed liveness or startup verdict kills it. */
  private async runProbes(
    pod: Pod,
    state: PodState,
    record: PodRuntimeRecord,
    container: Container,
    instance: RuntimeContainer,
  ): Promise<void> {
    const target = {
      containerId: instance.id,
      podIP: record.sandbox?.ips[0] ?? this.options.hostIPs[0] ?? "127.0.0.1",
      container,
    };
    const kinds: ProbeKind[] = [];
    const startupPassed =
      !container.startupProbe ||
      this.probeStateOf(state, instance.id, "startup", container).result === "success";
    if (!startupPassed) kinds.push("startup");
    else {
      if (container.livenessProbe) kinds.push("liveness");
      if (container.readinessProbe) kinds.push("readiness");
    }
    for (const kind of kinds) {
      const probeState = this.probeStateOf(state, instance.id, kind, container);
      const now = this.clock.now();
      if (!probeState.due(now, instance.startedAt)) continue;
      const spec =
        kind === "liveness"
          ? container.livenessProbe
          : kind === "readiness"
            ? container.readinessProbe
            : container.startupProbe;
      if (!spec) continue;
      const outcome = await this.probe(spec, target, probeState.settings.timeoutMs);
      probeState.observe(outcome, this.clock.now());
      if ((kind === "liveness" || kind === "startup") && probeState.result === "failure") {
        this.log(
          { pod: pod.metadata.uid, container: container.name, kind },
          "probe failed, killing",
        );
        const grace = spec.terminationGracePeriodSeconds ?? graceSeconds(pod);
        await this.killContainer(instance.id, target.podIP, container, pod, grace);
        return;
      }
    }
    this.refreshRecords(pod, state, record);
  }

  /** Runs the preStop hook (if any), then stops the container within the grace period. */
  private async killContainer(
    containerId: string,
    podIP: string,
    container: Container | undefined,
    pod: Pod,
    grace: number,
    preStopJson?: string,
  ): Promise<void> {
    const started = this.clock.now();
    // An orphan's spec is gone; its preStop hook was saved on the container.
    const preStop: Lifecycle["preStop"] =
      container?.lifecycle?.preStop ?? (preStopJson ? JSON.parse(preStopJson) : undefined);
    if (preStop && grace > 0) {
      const sleepSeconds = preStop.sleep?.seconds;
      if (sleepSeconds !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(sleepSeconds, grace) * 1000));
      } else {
        await this.probe(
          preStop,
          {
            containerId,
            podIP,
            container: container ?? { name: "", image: "" },
          },
          grace * 1000,
        );
      }
    }
    const remaining = Math.max(0, grace - Math.floor((this.clock.now() - started) / 1000));
    await this.options.runtime
      .stopContainer(
        { containerId, timeout: BigInt(remaining) },
        { timeoutMs: (remaining + 30) * 1000 },
      )
      .catch((error) =>
        this.log({ pod: pod.metadata.uid, id: containerId, err: errorText(error) }, "stop failed"),
      );
  }

  private async stopSandboxContainers(record: PodRuntimeRecord, sandboxId: string): Promise<void> {
    for (const container of record.containers) {
      if (container.sandboxId === sandboxId && container.state === "running") {
        await this.options.runtime
          .stopContainer({ containerId: container.id, timeout: 0n })
          .catch(() => {});
      }
    }
  }

  /**
   * Stops every container of the pod (preStop hooks first, in parallel,
   * within the grace period), removes them and the sandboxes, the pod's
   * directory and cgroup, and for a graceful deletion reports the final
   * status and tells the sink the pod is gone.
   */
  private async terminatePod(
    pod: Pod,
    record: PodRuntimeRecord,
    grace: number,
    graceful: boolean,
  ): Promise<void> {
    const state = this.states.get(pod.metadata.uid);
    const specs = new Map(
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]),
    );
    await Promise.all(
      record.containers
        .filter((c) => c.state === "running" || c.state === "created")
        .map(async (c) => {
          const annotations = await this.options.runtime
            .containerStatus({ containerId: c.id })
            .then((r) => r.status?.annotations ?? {})
            .catch(() => ({}) as Record<string, string>);
          await this.killContainer(
            c.id,
            this.podIP(record),
            specs.get(c.name),
            pod,
            grace,
            annotations[PRE_STOP_HANDLER_ANNOTATION],
          );
        }),
    );
    if (graceful && state) {
      const final = await this.relister.relist();
      await this.report(pod, state, final.get(pod.metadata.uid) ?? record);
    }
    for (const c of record.containers) {
      await this.options.runtime.removeContainer({ containerId: c.id }).catch(() => {});
    }
    for (const sandbox of record.sandboxes) {
      await this.options.runtime.stopPodSandbox({ podSandboxId: sandbox.id }).catch(() => {});
      await this.options.runtime.removePodSandbox({ podSandboxId: sandbox.id }).catch(() => {});
    }
    await removePodDirectory(this.options.podsDir, pod);
    for (const qos of ["Guaranteed", "Burstable", "BestEffort"] as const) {
      await removeCgroup(
        podCgroupParent(this.options.cgroupRoot ?? DEFAULT_CGROUP_ROOT, qos, pod.metadata.uid),
      );
    }
    for (const name of specs.keys()) this.containerBackoff.reset(`${pod.metadata.uid}/${name}`);
    this.states.delete(pod.metadata.uid);
    if (graceful) {
      this.terminated.add(pod.metadata.uid);
      await this.options.sink.terminated?.(pod);
    }
    this.log({ pod: pod.metadata.uid }, "pod terminated");
  }

  /** Computes the pod's status and hands it to the sink when it changed. */
  /** The host file a container instance writes its termination message to, mounted at its path. */
  private async terminationMessageMount(
    pod: Pod,
    container: Container,
    restartCount: number,
  ): Promise<Mount[]> {
    const path = terminationMessagePath(container);
    if (!path) return [];
    const file = terminationMessageFile(this.options.podsDir, pod, container.name, restartCount);
    await createTerminationMessageFile(file);
    return [create(MountSchema, { containerPath: path, hostPath: file })];
  }

  /** The runtime view with finished containers' termination messages filled in (read once each). */
  private async withTerminationMessages(
    pod: Pod,
    state: PodState,
    record: PodRuntimeRecord,
  ): Promise<PodRuntimeRecord> {
    const specs = new Map(
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]),
    );
    const logRoot = podLogDirectory(pod, this.options.podLogsRoot ?? DEFAULT_POD_LOGS_ROOT);
    const containers = await Promise.all(
      record.containers.map(async (instance) => {
        const spec = specs.get(instance.name);
        if (instance.state !== "exited" || instance.message || !spec) return instance;
        let message = state.terminationMessages.get(instance.id);
        if (message === undefined) {
          message = await readTerminationMessage(
            spec,
            terminationMessageFile(this.options.podsDir, pod, instance.name, instance.restartCount),
            join(logRoot, containerLogPath(instance.name, instance.restartCount)),
            instance.exitCode,
          );
          state.terminationMessages.set(instance.id, message);
        }
        return message ? { ...instance, message } : instance;
      }),
    );
    return { ...record, containers };
  }

  private async report(pod: Pod, state: PodState, record: PodRuntimeRecord): Promise<PodStatus> {
    const status = computePodStatus({
      pod,
      runtime: await this.withTerminationMessages(pod, state, record),
      records: state.records,
      runtimeName: this.runtimeName,
      hostIPs: this.options.hostIPs,
      startTime: state.startTime,
      now: this.clock.now(),
      ...(state.failure ? { failure: state.failure } : {}),
      ...(state.lastStatus ? { previous: state.lastStatus } : {}),
    });
    const json = JSON.stringify(status);
    if (json !== state.lastStatusJson) {
      state.lastStatus = status;
      state.lastStatusJson = json;
      await this.options.sink.update(pod, status);
    }
    return status;
  }
}
