import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import {
  ContainerConfigSchema,
  ContainerState,
  PodSandboxConfigSchema,
  PodSandboxState,
} from "@kubekit/proto/cri";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createManualClock,
  KNOBS,
  type ManualClock,
  RuntimeState,
  SimRuntimeError,
} from "../src/index.js";
import { countingRandom, sandboxConfig } from "./helpers.js";

const SECOND = 1_000_000_000n;

function pod(name: string, extra?: Parameters<typeof sandboxConfig>[1]) {
  return create(PodSandboxConfigSchema, sandboxConfig(name, extra));
}

function container(
  name: string,
  extra: {
    command?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    attempt?: number;
  } = {},
) {
  return create(ContainerConfigSchema, {
    metadata: { name, attempt: extra.attempt ?? 0 },
    image: { image: "busybox" },
    command: extra.command ?? ["sleep", "infinity"],
    labels: extra.labels ?? {},
    annotations: extra.annotations ?? {},
    logPath: `${name}/0.log`,
  });
}

/** Runs `body` and returns the code of the SimRuntimeError it throws. */
function codeOf(body: () => unknown): Code | "no error" {
  try {
    body();
    return "no error";
  } catch (error) {
    if (error instanceof SimRuntimeError) return error.code;
    throw error;
  }
}

describe("RuntimeState", () => {
  let clock: ManualClock;
  let state: RuntimeState;

  beforeEach(() => {
    clock = createManualClock(1_000n * SECOND);
    state = new RuntimeState({ clock, random: countingRandom(), podCidr: "10.244.3.0/24" });
    state.images.pull("busybox");
  });

  it("runs a sandbox with a 64-hex ID from the random source, the clock's time and a pod IP", () => {
    const sandbox = state.runSandbox(pod("web"));
    expect(sandbox.id).toBe(`00000001${"ab".repeat(28)}`);
    expect(sandbox.createdAt).toBe(1_000n * SECOND);
    expect(sandbox.state).toBe(PodSandboxState.SANDBOX_READY);
    expect(sandbox.ip).toBe("10.244.3.2");
    expect(state.runSandbox(pod("db")).ip).toBe("10.244.3.3");
    expect(state.runSandbox(pod("host", { hostNetwork: true })).ip).toBe("");
  });

  it("walks a container CREATED → RUNNING → EXITED with the clock's times", () => {
    const sandbox = state.runSandbox(pod("web"));
    clock.advance(SECOND);
    const created = state.createContainer(sandbox.id, container("app"));
    expect(created.state).toBe(ContainerState.CONTAINER_CREATED);
    expect(created.createdAt).toBe(1_001n * SECOND);
    expect(created.logPath).toBe("/var/log/pods/default_web/app/0.log");
    clock.advance(SECOND);
    state.startContainer(created.id);
    expect(state.containerStatus(created.id).state).toBe(ContainerState.CONTAINER_RUNNING);
    expect(state.containerStatus(created.id).startedAt).toBe(1_002n * SECOND);
    clock.advance(3_600n * SECOND);
    expect(state.containerStatus(created.id).state).toBe(ContainerState.CONTAINER_RUNNING);
    state.stopContainer(created.id);
    const exited = state.containerStatus(created.id);
    expect(exited.state).toBe(ContainerState.CONTAINER_EXITED);
    expect(exited.finishedAt).toBe(4_602n * SECOND);
    expect(exited.exitCode).toBe(143);
    expect(exited.reason).toBe("Error");
  });

  it("exits a container on the clock, at the time its knob or command says", () => {
    const sandbox = state.runSandbox(
      pod("jobs", {
        annotations: { [`${KNOBS.exitAfter}.knobbed`]: "3s", [`${KNOBS.exitCode}.knobbed`]: "2" },
      }),
    );
    const knobbed = state.createContainer(sandbox.id, container("knobbed"));
    const sleeper = state.createContainer(
      sandbox.id,
      container("sleeper", { command: ["sleep", "5"] }),
    );
    const failing = state.createContainer(
      sandbox.id,
      container("failing", { command: ["sh", "-c", "exit 4"] }),
    );
    for (const c of [knobbed, sleeper, failing]) state.startContainer(c.id);

    expect(state.containerStatus(failing.id)).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 4,
      finishedAt: 1_000n * SECOND,
      reason: "Error",
    });
    clock.advance(3n * SECOND - 1n);
    expect(state.containerStatus(knobbed.id).state).toBe(ContainerState.CONTAINER_RUNNING);
    clock.advance(10n * SECOND);
    // Seen late, but each finished when its own time came.
    expect(state.containerStatus(knobbed.id)).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 2,
      finishedAt: 1_003n * SECOND,
    });
    expect(state.containerStatus(sleeper.id)).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 0,
      finishedAt: 1_005n * SECOND,
      reason: "Completed",
    });
    // Stopping an exited container keeps its exit.
    state.stopContainer(knobbed.id);
    expect(state.containerStatus(knobbed.id).exitCode).toBe(2);
  });

  it("answers NotFound for unknown IDs, and Unknown for an empty one, as containerd does", () => {
    expect(codeOf(() => state.sandboxStatus("nope"))).toBe(Code.NotFound);
    expect(codeOf(() => state.stopSandbox("nope"))).toBe(Code.NotFound);
    expect(codeOf(() => state.containerStatus("nope"))).toBe(Code.NotFound);
    expect(codeOf(() => state.startContainer("nope"))).toBe(Code.NotFound);
    expect(codeOf(() => state.stopContainer("nope"))).toBe(Code.NotFound);
    expect(codeOf(() => state.execSync("nope", ["true"]))).toBe(Code.NotFound);
    expect(codeOf(() => state.createContainer("nope", container("x")))).toBe(Code.NotFound);
    expect(codeOf(() => state.sandboxStatus(""))).toBe(Code.Unknown);
    // Removal is idempotent.
    expect(codeOf(() => state.removeSandbox("nope"))).toBe("no error");
    expect(codeOf(() => state.removeContainer("nope"))).toBe("no error");
  });

  it("finds sandboxes and containers by a unique ID prefix", () => {
    const sandbox = state.runSandbox(pod("web"));
    expect(state.sandboxStatus(sandbox.id.slice(0, 8)).id).toBe(sandbox.id);
    state.runSandbox(pod("db"));
    // Both IDs start with "00000": ambiguous.
    expect(codeOf(() => state.sandboxStatus("00000"))).toBe(Code.Unknown);
  });

  it("refuses to start a container twice, or an exited one", () => {
    const sandbox = state.runSandbox(pod("web"));
    const c = state.createContainer(sandbox.id, container("app"));
    state.startContainer(c.id);
    expect(codeOf(() => state.startContainer(c.id))).toBe(Code.Unknown);
    state.stopContainer(c.id);
    expect(codeOf(() => state.startContainer(c.id))).toBe(Code.Unknown);
  });

  it("refuses exec and log reopening unless running", () => {
    const sandbox = state.runSandbox(pod("web"));
    const c = state.createContainer(sandbox.id, container("app"));
    expect(codeOf(() => state.execSync(c.id, ["true"]))).toBe(Code.Unknown);
    expect(codeOf(() => state.reopenContainerLog(c.id))).toBe(Code.Unknown);
    state.startContainer(c.id);
    expect(state.execSync(c.id, ["sh", "-c", "exit 3"]).exitCode).toBe(3);
    expect(state.execSync(c.id, ["cat", "/x"])).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(codeOf(() => state.reopenContainerLog(c.id))).toBe("no error");
  });

  it("refuses taken sandbox and container names until their holder is removed", () => {
    const sandbox = state.runSandbox(pod("web"));
    expect(codeOf(() => state.runSandbox(pod("web")))).toBe(Code.Unknown);
    const c = state.createContainer(sandbox.id, container("app"));
    expect(codeOf(() => state.createContainer(sandbox.id, container("app")))).toBe(Code.Unknown);
    // Another attempt is another name.
    expect(codeOf(() => state.createContainer(sandbox.id, container("app", { attempt: 1 })))).toBe(
      "no error",
    );
    state.removeContainer(c.id);
    expect(codeOf(() => state.createContainer(sandbox.id, container("app")))).toBe("no error");
    state.stopSandbox(sandbox.id);
    expect(codeOf(() => state.runSandbox(pod("web")))).toBe(Code.Unknown);
    state.removeSandbox(sandbox.id);
    expect(codeOf(() => state.runSandbox(pod("web")))).toBe("no error");
  });

  it("refuses containers in a stopped sandbox (NotFound, as containerd) and images not pulled", () => {
    const sandbox = state.runSandbox(pod("web"));
    const missingImage = create(ContainerConfigSchema, {
      metadata: { name: "x" },
      image: { image: "nginx" },
    });
    expect(codeOf(() => state.createContainer(sandbox.id, missingImage))).toBe(Code.NotFound);
    const c = state.createContainer(sandbox.id, container("app"));
    state.stopSandbox(sandbox.id);
    expect(state.sandboxStatus(sandbox.id).state).toBe(PodSandboxState.SANDBOX_NOTREADY);
    expect(codeOf(() => state.createContainer(sandbox.id, container("late")))).toBe(Code.NotFound);
    // A created container is left created by the stop, and cannot start now.
    expect(state.containerStatus(c.id).state).toBe(ContainerState.CONTAINER_CREATED);
    expect(codeOf(() => state.startContainer(c.id))).toBe(Code.Unknown);
  });

  it("stops a sandbox's running containers, and removal takes them with it", () => {
    const sandbox = state.runSandbox(pod("web"));
    const c = state.createContainer(sandbox.id, container("app"));
    state.startContainer(c.id);
    clock.advance(SECOND);
    state.stopSandbox(sandbox.id);
    expect(state.containerStatus(c.id)).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 137,
      finishedAt: 1_001n * SECOND,
    });
    state.stopSandbox(sandbox.id); // idempotent
    state.removeSandbox(sandbox.id);
    expect(codeOf(() => state.containerStatus(c.id))).toBe(Code.NotFound);
    expect(state.counts()).toMatchObject({ sandboxes: 0, containers: 0, podIps: 0 });
  });

  it("removes a running container after stopping it, as containerd does", () => {
    const sandbox = state.runSandbox(pod("web"));
    const c = state.createContainer(sandbox.id, container("app"));
    state.startContainer(c.id);
    state.removeContainer(c.id);
    expect(codeOf(() => state.containerStatus(c.id))).toBe(Code.NotFound);
  });

  it("releases a pod IP on removal and takes new ones from an updated CIDR", () => {
    const a = state.runSandbox(pod("a"));
    state.setPodCidr("10.50.0.0/24");
    const b = state.runSandbox(pod("b"));
    expect(a.ip).toBe("10.244.3.2");
    expect(b.ip).toBe("10.50.0.2");
    state.removeSandbox(b.id);
    expect(state.counts().podIps).toBe(1);
    expect(codeOf(() => state.setPodCidr("fd00::/64"))).toBe(Code.InvalidArgument);
  });

  it("filters sandboxes by ID prefix, state and labels", () => {
    const web = state.runSandbox(pod("web", { labels: { app: "web", tier: "front" } }));
    const db = state.runSandbox(pod("db", { labels: { app: "db" } }));
    state.stopSandbox(db.id);
    const ids = (filter: Parameters<RuntimeState["listSandboxes"]>[0]) =>
      state.listSandboxes(filter).map((s) => s.id);
    expect(ids({})).toEqual([web.id, db.id]);
    expect(ids({ id: web.id.slice(0, 10) })).toEqual([web.id]);
    expect(ids({ id: "0000000" })).toEqual([]); // ambiguous prefix matches nothing
    expect(ids({ state: PodSandboxState.SANDBOX_READY })).toEqual([web.id]);
    expect(ids({ state: PodSandboxState.SANDBOX_NOTREADY })).toEqual([db.id]);
    expect(ids({ labelSelector: { app: "web" } })).toEqual([web.id]);
    expect(ids({ labelSelector: { app: "web", tier: "back" } })).toEqual([]);
  });

  it("filters containers by ID prefix, sandbox ID prefix, state and labels", () => {
    const web = state.runSandbox(pod("web"));
    const db = state.runSandbox(pod("db"));
    const a = state.createContainer(web.id, container("a", { labels: { role: "main" } }));
    const b = state.createContainer(web.id, container("b", { labels: { role: "side" } }));
    const c = state.createContainer(db.id, container("c", { labels: { role: "main" } }));
    state.startContainer(a.id);
    state.startContainer(c.id);
    const ids = (filter: Parameters<RuntimeState["listContainers"]>[0]) =>
      state.listContainers(filter).map((x) => x.id);
    expect(ids({})).toEqual([a.id, b.id, c.id]);
    expect(ids({ id: b.id.slice(0, 9) })).toEqual([b.id]);
    expect(ids({ podSandboxId: web.id.slice(0, 9) })).toEqual([a.id, b.id]);
    expect(ids({ state: ContainerState.CONTAINER_RUNNING })).toEqual([a.id, c.id]);
    expect(ids({ state: ContainerState.CONTAINER_CREATED, podSandboxId: web.id })).toEqual([b.id]);
    expect(ids({ labelSelector: { role: "main" } })).toEqual([a.id, c.id]);
    expect(ids({ labelSelector: { role: "main" }, podSandboxId: db.id })).toEqual([c.id]);
  });

  it("answers InvalidArgument for an unreadable knob", () => {
    const sandbox = state.runSandbox(pod("web"));
    const bad = container("bad", { annotations: { [KNOBS.exitAfter]: "later" } });
    expect(codeOf(() => state.createContainer(sandbox.id, bad))).toBe(Code.InvalidArgument);
  });
});
