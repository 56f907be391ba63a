import type {
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodCondition,
  PodPhase,
  PodStatus,
} from "../api/types.js";
import { podQosClass } from "./qos.js";
import {
  type ContainerRecord,
  latestInstances,
  type PodRuntimeView,
  type RuntimeContainer,
} from "./view.js";

/** Inputs of {@link computePodStatus}. */
export interface PodStatusInput {
  pod: Pod;
  runtime: PodRuntimeView;
  /** The kubelet's records, by container name (init and regular). */
  records: ReadonlyMap<string, ContainerRecord>;
  /** The runtime's name for container ids: `containerd` gives `containerd://<id>`. */
  runtimeName: string;
  hostIPs: string[];
  /** When the kubelet first accepted the pod (ms since the epoch). */
  startTime: number;
  /** Now, in ms since the epoch, for condition transition times. */
  now: number;
  /**
   * Set when the kubelet itself failed the pod (e.g. `DeadlineExceeded`):
   * the phase is Failed whatever the containers say, with this reason.
   */
  failure?: { reason: string; message: string };
  /** The previously reported status, so unchanged conditions keep their transition time. */
  previous?: PodStatus;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function terminatedState(instance: RuntimeContainer, runtimeName: string): ContainerState {
  const reason = instance.reason || (instance.exitCode === 0 ? "Completed" : "Error");
  return {
    terminated: {
      exitCode: instance.exitCode,
      reason,
      ...(instance.message ? { message: instance.message } : {}),
      ...(instance.startedAt ? { startedAt: iso(instance.startedAt) } : {}),
      finishedAt: iso(instance.finishedAt),
      containerID: `${runtimeName}://${instance.id}`,
    },
  };
}

function containerStatus(
  container: Container,
  input: PodStatusInput,
  defaultWaitingReason: string,
): ContainerStatus {
  const { latest, previous } = latestInstances(input.runtime.containers, container.name);
  const record = input.records.get(container.name);
  const base = {
    name: container.name,
    // What the instance runs (it may predate a spec change), when the
    // runtime names it; a bare image id says less than the spec's name.
    image: latest?.image && !latest.image.startsWith("sha256:") ? latest.image : container.image,
    imageID: latest?.imageRef ?? "",
    restartCount: latest?.restartCount ?? 0,
    ...(latest ? { containerID: `${input.runtimeName}://${latest.id}` } : {}),
  };
  let state: ContainerState;
  let lastState: ContainerState =
    previous && previous.state === "exited" ? terminatedState(previous, input.runtimeName) : {};
  let ready = false;
  let started = false;
  if (!latest) {
    state = { waiting: record?.waiting ?? { reason: defaultWaitingReason } };
  } else if (latest.state === "running") {
    state = { running: { startedAt: iso(latest.startedAt) } };
    ready = record?.ready ?? false;
    started = record?.started ?? false;
  } else if (latest.state === "exited") {
    if (record?.waiting) {
      lastState = terminatedState(latest, input.runtimeName);
      state = { waiting: record.waiting };
    } else {
      state = terminatedState(latest, input.runtimeName);
    }
  } else {
    state = { waiting: record?.waiting ?? { reason: "ContainerCreating" } };
  }
  return { ...base, state, lastState, ready, started };
}

/** Whether every init container has completed successfully. */
function initialized(statuses: ContainerStatus[]): boolean {
  return statuses.every((s) => s.state.terminated?.exitCode === 0);
}

/**
 * The pod phase from its container statuses, as upstream decides it:
 * a failed init container fails a `Never` pod; pending init or any waiting
 * container keeps it Pending; any running container makes it Running; once
 * all have stopped it is Succeeded when all exited 0, Running when they
 * will restart, Failed otherwise.
 */
export function podPhase(
  pod: Pod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
): PodPhase {
  const policy = pod.spec.restartPolicy ?? "Always";
  let pendingInit = 0;
  let failedInit = 0;
  for (const status of initStatuses) {
    const { state, lastState } = status;
    if (state.terminated) {
      if (state.terminated.exitCode !== 0) failedInit++;
    } else if (state.waiting && (lastState.terminated?.exitCode ?? 0) !== 0) {
      failedInit++;
    } else {
      pendingInit++;
    }
  }
  if (failedInit > 0 && policy === "Never") return "Failed";
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const { state, lastState } of statuses) {
    if (state.running) running++;
    else if (state.terminated) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (state.waiting) {
      if (lastState.terminated) stopped++;
      else waiting++;
    }
  }
  const anyRegularStarted = statuses.some(
    (s) => s.state.running || s.state.terminated || s.lastState.terminated,
  );
  if ((pendingInit > 0 || failedInit > 0) && !anyRegularStarted) return "Pending";
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "OnFailure") return "Running";
    return "Failed";
  }
  return "Pending";
}

function condition(
  type: string,
  ok: boolean,
  input: PodStatusInput,
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? "True" : "False";
  const before = input.previous?.conditions.find((c) => c.type === type);
  const lastTransitionTime =
    before?.status === status && before.lastTransitionTime
      ? before.lastTransitionTime
      : iso(input.now);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

function names(statuses: ContainerStatus[]): string {
  return `[${statuses.map((s) => s.name).join(" ")}]`;
}

/**
 * The pod's status from the runtime view and the kubelet's records: phase,
 * conditions (PodScheduled, PodReadyToStartContainers, Initialized,
 * ContainersReady, Ready), container statuses with upstream's waiting and
 * terminated reasons, pod and host IPs, QoS class and start time.
 */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, runtime } = input;
  const initContainers = pod.spec.initContainers ?? [];
  // As upstream: a pod with init containers shows PodInitializing for any
  // container not yet created, one without shows ContainerCreating.
  const defaultReason = initContainers.length > 0 ? "PodInitializing" : "ContainerCreating";
  const initStatuses = initContainers.map((c) => containerStatus(c, input, defaultReason));
  const initDone = initialized(initStatuses);
  const statuses = pod.spec.containers.map((c) => containerStatus(c, input, defaultReason));
  const phase = input.failure ? "Failed" : podPhase(pod, initStatuses, statuses);
  const completed = phase === "Succeeded";
  const sandboxReady = runtime.sandbox?.ready ?? false;
  // A finished pod keeps reporting the addresses it had; a pod whose sandbox
  // is being replaced reports none until the new one is up.
  const terminal = phase === "Succeeded" || phase === "Failed";
  const ips = sandboxReady || terminal ? (runtime.sandbox?.ips ?? []) : [];

  const unready = statuses.filter((s) => !s.ready);
  const containersReady = !completed && unready.length === 0;
  const notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
  const notReadyMessage = completed
    ? undefined
    : `containers with unready status: ${names(unready)}`;
  const gates = (pod.spec.readinessGates ?? []).filter(
    (gate) =>
      !pod.status?.conditions?.some((c) => c.type === gate.conditionType && c.status === "True"),
  );
  const ready = containersReady && gates.length === 0;
  const incompleteInit = initStatuses.filter((s) => s.state.terminated?.exitCode !== 0);
  const initOk = initDone || completed;

  const conditions: PodCondition[] = [
    condition("PodReadyToStartContainers", sandboxReady, input),
    condition(
      "Initialized",
      initOk,
      input,
      initOk
        ? completed && initContainers.length > 0
          ? "PodCompleted"
          : undefined
        : "ContainersNotInitialized",
      initOk ? undefined : `containers with incomplete status: ${names(incompleteInit)}`,
    ),
    condition(
      "Ready",
      ready,
      input,
      ready ? undefined : containersReady ? "ReadinessGatesNotReady" : notReadyReason,
      ready
        ? undefined
        : containersReady
          ? `the status of pod readiness gate${gates.length > 1 ? "s" : ""} ${gates.map((g) => `"${g.conditionType}"`).join(", ")} is not "True", but False`
          : notReadyMessage,
    ),
    condition(
      "ContainersReady",
      containersReady,
      input,
      containersReady ? undefined : notReadyReason,
      containersReady ? undefined : notReadyMessage,
    ),
    condition("PodScheduled", true, input),
  ];
  const startTime = input.previous?.startTime ?? iso(input.startTime);
  return {
    phase,
    conditions,
    ...(input.failure ? { reason: input.failure.reason, message: input.failure.message } : {}),
    ...(input.hostIPs[0]
      ? { hostIP: input.hostIPs[0], hostIPs: input.hostIPs.map((ip) => ({ ip })) }
      : {}),
    ...(ips[0] ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
    startTime,
    ...(initContainers.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: podQosClass(pod),
  };
}
