import { describe, expect, it } from "vitest";
import {
  type ContainerRecord,
  computePodStatus,
  type Pod,
  type PodStatus,
  type RuntimeContainer,
} from "../src/index.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");

function pod(spec: Partial<Pod["spec"]> = {}): Pod {
  return {
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec: { containers: [{ name: "app", image: "busybox:1" }], ...spec },
  };
}

function instance(
  partial: Partial<RuntimeContainer> & Pick<RuntimeContainer, "name" | "state">,
): RuntimeContainer {
  return {
    id: `${partial.name}-${partial.restartCount ?? 0}`,
    sandboxId: "sb",
    restartCount: 0,
    init: false,
    createdAt: T0 + 1_000,
    startedAt: T0 + 2_000,
    finishedAt: partial.state === "exited" ? T0 + 3_000 : 0,
    exitCode: 0,
    reason: "",
    message: "",
    image: "busybox:1",
    imageRef: "sha256:feed",
    hash: "",
    ...partial,
  };
}

function status(
  p: Pod,
  containers: RuntimeContainer[],
  records: Record<string, ContainerRecord> = {},
  sandbox = true,
  previous?: PodStatus,
): PodStatus {
  return computePodStatus({
    pod: p,
    runtime: {
      ...(sandbox
        ? { sandbox: { id: "sb", ready: true, attempt: 0, createdAt: T0, ips: ["10.0.0.9"] } }
        : {}),
      containers,
    },
    records: new Map(Object.entries(records)),
    runtimeName: "containerd",
    hostIPs: ["192.0.2.1"],
    startTime: T0,
    now: T0 + 5_000,
    ...(previous ? { previous } : {}),
  });
}

const conditionOf = (s: PodStatus, type: string) => s.conditions.find((c) => c.type === type);

describe("pod status", () => {
  it("a pod with no containers yet is Pending, ContainerCreating", () => {
    const s = status(pod(), [], {}, false);
    expect(s.phase).toBe("Pending");
    expect(s.containerStatuses[0]?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(s.podIP).toBeUndefined();
    expect(s.hostIP).toBe("192.0.2.1");
    expect(s.startTime).toBe("2026-01-01T00:00:00Z");
    expect(conditionOf(s, "PodScheduled")?.status).toBe("True");
    expect(conditionOf(s, "PodReadyToStartContainers")?.status).toBe("False");
    expect(conditionOf(s, "Ready")).toMatchObject({
      status: "False",
      reason: "ContainersNotReady",
      message: "containers with unready status: [app]",
    });
  });

  it("a running, ready container makes the pod Running and Ready with its IP", () => {
    const s = status(pod(), [instance({ name: "app", state: "running" })], {
      app: { ready: true, started: true },
    });
    expect(s.phase).toBe("Running");
    expect(s.podIP).toBe("10.0.0.9");
    expect(s.podIPs).toEqual([{ ip: "10.0.0.9" }]);
    const app = s.containerStatuses[0];
    expect(app).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      image: "busybox:1",
      imageID: "sha256:feed",
      containerID: "containerd://app-0",
      state: { running: { startedAt: "2026-01-01T00:00:02Z" } },
    });
    expect(conditionOf(s, "Ready")?.status).toBe("True");
    expect(conditionOf(s, "ContainersReady")?.status).toBe("True");
    expect(conditionOf(s, "Initialized")?.status).toBe("True");
  });

  it.each([
    ["Never", 0, "Succeeded", "Completed"],
    ["Never", 2, "Failed", "Error"],
    ["OnFailure", 0, "Succeeded", "Completed"],
    ["Always", 0, "Running", "Completed"],
  ] as const)("restartPolicy %s, exit %s → %s (%s)", (restartPolicy, exitCode, phase, reason) => {
    const s = status(pod({ restartPolicy }), [
      instance({ name: "app", state: "exited", exitCode }),
    ]);
    expect(s.phase).toBe(phase);
    expect(s.containerStatuses[0]?.state.terminated).toMatchObject({
      exitCode,
      reason,
      containerID: "containerd://app-0",
      finishedAt: "2026-01-01T00:00:03Z",
    });
  });

  it("keeps the runtime's OOMKilled reason", () => {
    const s = status(pod({ restartPolicy: "Never" }), [
      instance({ name: "app", state: "exited", exitCode: 137, reason: "OOMKilled" }),
    ]);
    expect(s.phase).toBe("Failed");
    expect(s.containerStatuses[0]?.state.terminated?.reason).toBe("OOMKilled");
  });

  it("a crash-looping container waits with the previous exit as lastState and the pod stays Running", () => {
    const s = status(
      pod(),
      [
        instance({ name: "app", state: "exited", exitCode: 1, restartCount: 0, reason: "Error" }),
        instance({
          name: "app",
          state: "exited",
          exitCode: 1,
          restartCount: 1,
          reason: "Error",
          finishedAt: T0 + 4_000,
        }),
      ],
      {
        app: {
          ready: false,
          started: false,
          waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" },
        },
      },
    );
    expect(s.phase).toBe("Running");
    const app = s.containerStatuses[0];
    expect(app?.restartCount).toBe(1);
    expect(app?.state).toEqual({
      waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" },
    });
    expect(app?.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: "Error",
      containerID: "containerd://app-1",
    });
  });

  it("a running container after a restart shows the previous instance as lastState", () => {
    const s = status(pod(), [
      instance({ name: "app", state: "exited", exitCode: 1, restartCount: 0 }),
      instance({ name: "app", state: "running", restartCount: 1 }),
    ]);
    expect(s.containerStatuses[0]?.restartCount).toBe(1);
    expect(s.containerStatuses[0]?.lastState.terminated?.containerID).toBe("containerd://app-0");
  });

  it.each(["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError", "RunContainerError"])(
    "a container the kubelet could not start waits with %s and the pod is Pending",
    (reason) => {
      const s = status(pod(), [], {
        app: { ready: false, started: false, waiting: { reason, message: "why" } },
      });
      expect(s.phase).toBe("Pending");
      expect(s.containerStatuses[0]?.state).toEqual({ waiting: { reason, message: "why" } });
    },
  );

  describe("init containers", () => {
    const withInit = pod({
      initContainers: [
        { name: "init-a", image: "busybox:1" },
        { name: "init-b", image: "busybox:1" },
      ],
    });

    it("while initializing the pod is Pending, PodInitializing and not Initialized", () => {
      const s = status(withInit, [instance({ name: "init-a", state: "running", init: true })]);
      expect(s.phase).toBe("Pending");
      expect(s.containerStatuses[0]?.state.waiting?.reason).toBe("PodInitializing");
      expect(s.initContainerStatuses?.[1]?.state.waiting?.reason).toBe("PodInitializing");
      expect(conditionOf(s, "Initialized")).toMatchObject({
        status: "False",
        reason: "ContainersNotInitialized",
        message: "containers with incomplete status: [init-a init-b]",
      });
    });

    it("once all init containers succeeded the pod is Initialized", () => {
      const s = status(withInit, [
        instance({ name: "init-a", state: "exited", init: true }),
        instance({ name: "init-b", state: "exited", init: true }),
        instance({ name: "app", state: "running" }),
      ]);
      expect(s.phase).toBe("Running");
      expect(conditionOf(s, "Initialized")?.status).toBe("True");
    });

    it("a failed init container fails a Never pod", () => {
      const never = { ...withInit, spec: { ...withInit.spec, restartPolicy: "Never" as const } };
      const s = status(never, [
        instance({ name: "init-a", state: "exited", exitCode: 1, init: true }),
      ]);
      expect(s.phase).toBe("Failed");
    });

    it("a failed init container keeps an Always pod Pending while it retries", () => {
      const s = status(
        withInit,
        [instance({ name: "init-a", state: "exited", exitCode: 1, init: true })],
        {
          "init-a": {
            ready: false,
            started: false,
            waiting: { reason: "CrashLoopBackOff", message: "" },
          },
        },
      );
      expect(s.phase).toBe("Pending");
    });
  });

  it("a Succeeded pod reports PodCompleted and keeps its IPs after the sandbox stopped", () => {
    const s = computePodStatus({
      pod: pod({ restartPolicy: "Never" }),
      runtime: {
        sandbox: { id: "sb", ready: false, attempt: 0, createdAt: T0, ips: ["10.0.0.9"] },
        containers: [instance({ name: "app", state: "exited" })],
      },
      records: new Map(),
      runtimeName: "containerd",
      hostIPs: [],
      startTime: T0,
      now: T0,
    });
    expect(s.phase).toBe("Succeeded");
    expect(s.podIP).toBe("10.0.0.9");
    expect(conditionOf(s, "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(conditionOf(s, "ContainersReady")).toMatchObject({
      status: "False",
      reason: "PodCompleted",
    });
  });

  it("keeps a condition's transition time while its status holds, and moves it when it flips", () => {
    const first = status(pod(), [instance({ name: "app", state: "running" })], {
      app: { ready: false, started: true },
    });
    const later = computePodStatus({
      pod: pod(),
      runtime: {
        sandbox: { id: "sb", ready: true, attempt: 0, createdAt: T0, ips: [] },
        containers: [instance({ name: "app", state: "running" })],
      },
      records: new Map([["app", { ready: true, started: true }]]),
      runtimeName: "containerd",
      hostIPs: [],
      startTime: T0 + 99_000,
      now: T0 + 60_000,
      previous: first,
    });
    expect(conditionOf(later, "PodScheduled")?.lastTransitionTime).toBe("2026-01-01T00:00:05Z");
    expect(conditionOf(later, "Ready")?.lastTransitionTime).toBe("2026-01-01T00:01:00Z");
    expect(later.startTime).toBe(first.startTime);
  });

  it("holds Ready back until readiness gates are True", () => {
    const gated: Pod = { ...pod({ readinessGates: [{ conditionType: "example.com/lb" }] }) };
    const s = status(gated, [instance({ name: "app", state: "running" })], {
      app: { ready: true, started: true },
    });
    expect(conditionOf(s, "ContainersReady")?.status).toBe("True");
    expect(conditionOf(s, "Ready")).toMatchObject({
      status: "False",
      reason: "ReadinessGatesNotReady",
    });
    gated.status = { conditions: [{ type: "example.com/lb", status: "True" }] };
    const open = status(gated, [instance({ name: "app", state: "running" })], {
      app: { ready: true, started: true },
    });
    expect(conditionOf(open, "Ready")?.status).toBe("True");
  });

  it("a pod the kubelet failed is Failed with its reason, whatever its containers say", () => {
    const s = computePodStatus({
      pod: pod(),
      runtime: { containers: [instance({ name: "app", state: "running" })] },
      records: new Map(),
      runtimeName: "containerd",
      hostIPs: [],
      startTime: T0,
      now: T0,
      failure: { reason: "DeadlineExceeded", message: "too long" },
    });
    expect(s.phase).toBe("Failed");
    expect(s.reason).toBe("DeadlineExceeded");
    expect(s.message).toBe("too long");
  });

  it("reports the QoS class", () => {
    const guaranteed = pod({
      containers: [{ name: "app", image: "i", resources: { limits: { cpu: "1", memory: "1Gi" } } }],
    });
    expect(status(guaranteed, []).qosClass).toBe("Guaranteed");
  });
});
