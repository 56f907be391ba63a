import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { RuntimeService } from "@kubekit/proto/cri";
import type { RuntimeState } from "../state/runtime-state.js";
import { acting, answering } from "./errors.js";
import {
  toContainer,
  toContainerStats,
  toContainerStatus,
  toPodSandbox,
  toPodSandboxStats,
  toPodSandboxStatus,
} from "./to-proto.js";

/** The name cri-sim reports in Version: it never pretends to be a real runtime. */
export const RUNTIME_NAME = "cri-sim";

/** The version cri-sim reports in Version. */
export const RUNTIME_VERSION = "0.1.0-simulated";

/** Where simulated images and writable layers claim to live (no such directory is made). */
export const DEFAULT_FS_MOUNTPOINT = "/var/lib/kubekit-cri-sim";

const STREAMING_UNSUPPORTED =
  "cri-sim is a simulation and runs no processes, so it cannot stream exec, attach or port-forward";

const encoder = new TextEncoder();

/** The `info` map of a verbose status answer: one key holding JSON, as containerd gives. */
function verboseInfo(verbose: boolean, key: string, value: unknown): Record<string, string> {
  return verbose ? { [key]: JSON.stringify(value) } : {};
}

/**
 * The `runtime.v1.RuntimeService` of a simulated runtime, over `state`.
 * RuntimeConfig is left out, so it answers `Unimplemented`, as containerd
 * 1.6 does; a kubelet then keeps its own cgroup driver setting.
 */
export function createRuntimeServiceImpl(
  state: RuntimeState,
  fsMountpoint = DEFAULT_FS_MOUNTPOINT,
): Partial<ServiceImpl<typeof RuntimeService>> {
  const containerStats = (idOrPrefix: string) =>
    toContainerStats(state.containerStatus(idOrPrefix), state.now(), fsMountpoint);
  const sandboxStats = (id: string) =>
    toPodSandboxStats(
      state.sandboxStatus(id),
      state.listContainers({ podSandboxId: id }).map((container) => containerStats(container.id)),
      state.now(),
    );
  // Streaming needs a process to talk to; answer NotFound first for unknown IDs, as containerd does.
  const unsupportedStreaming = (check: () => unknown) =>
    answering(() => {
      check();
      throw new ConnectError(STREAMING_UNSUPPORTED, Code.Unimplemented);
    });

  return {
    version: () => ({
      version: "0.1.0",
      runtimeName: RUNTIME_NAME,
      runtimeVersion: RUNTIME_VERSION,
      runtimeApiVersion: "v1",
    }),

    runPodSandbox: (request) =>
      answering(() => {
        const config = request.config;
        if (config === undefined)
          throw new ConnectError("sandbox config is required", Code.InvalidArgument);
        return { podSandboxId: state.runSandbox(config, request.runtimeHandler).id };
      }),
    stopPodSandbox: (request) => acting(() => state.stopSandbox(request.podSandboxId)),
    removePodSandbox: (request) => acting(() => state.removeSandbox(request.podSandboxId)),
    podSandboxStatus: (request) =>
      answering(() => ({
        status: toPodSandboxStatus(state.sandboxStatus(request.podSandboxId)),
        info: verboseInfo(request.verbose, "info", { simulated: true }),
      })),
    listPodSandbox: (request) =>
      answering(() => ({
        items: state
          .listSandboxes({
            id: request.filter?.id,
            state: request.filter?.state?.state,
            labelSelector: request.filter?.labelSelector,
          })
          .map(toPodSandbox),
      })),

    createContainer: (request) =>
      answering(() => {
        const config = request.config;
        if (config === undefined)
          throw new ConnectError("container config is required", Code.InvalidArgument);
        return {
          containerId: state.createContainer(request.podSandboxId, config, request.sandboxConfig)
            .id,
        };
      }),
    startContainer: (request) => acting(() => state.startContainer(request.containerId)),
    stopContainer: (request) => acting(() => state.stopContainer(request.containerId)),
    removeContainer: (request) => acting(() => state.removeContainer(request.containerId)),
    listContainers: (request) =>
      answering(() => ({
        containers: state
          .listContainers({
            id: request.filter?.id,
            state: request.filter?.state?.state,
            podSandboxId: request.filter?.podSandboxId,
            labelSelector: request.filter?.labelSelector,
          })
          .map(toContainer),
      })),
    containerStatus: (request) =>
      answering(() => ({
        status: toContainerStatus(state.containerStatus(request.containerId)),
        info: verboseInfo(request.verbose, "info", { simulated: true }),
      })),
    updateContainerResources: (request) =>
      acting(() => state.updateContainerResources(request.containerId, request.linux)),
    reopenContainerLog: (request) => acting(() => state.reopenContainerLog(request.containerId)),

    execSync: (request) =>
      answering(() => {
        const result = state.execSync(request.containerId, request.cmd);
        return {
          exitCode: result.exitCode,
          stdout: encoder.encode(result.stdout),
          stderr: encoder.encode(result.stderr),
        };
      }),
    exec: (request) => unsupportedStreaming(() => state.containerStatus(request.containerId)),
    attach: (request) => unsupportedStreaming(() => state.containerStatus(request.containerId)),
    portForward: (request) => unsupportedStreaming(() => state.sandboxStatus(request.podSandboxId)),

    containerStats: (request) => answering(() => ({ stats: containerStats(request.containerId) })),
    listContainerStats: (request) =>
      answering(() => ({
        stats: state
          .listContainers({
            id: request.filter?.id,
            podSandboxId: request.filter?.podSandboxId,
            labelSelector: request.filter?.labelSelector,
          })
          .map((container) => containerStats(container.id)),
      })),
    podSandboxStats: (request) =>
      answering(() => ({ stats: sandboxStats(state.sandboxStatus(request.podSandboxId).id) })),
    listPodSandboxStats: (request) =>
      answering(() => ({
        stats: state
          .listSandboxes({ id: request.filter?.id, labelSelector: request.filter?.labelSelector })
          .map((sandbox) => sandboxStats(sandbox.id)),
      })),

    updateRuntimeConfig: (request) =>
      answering(() => {
        state.setPodCidr(request.runtimeConfig?.networkConfig?.podCidr ?? "");
        return {};
      }),
    status: (request) => ({
      status: {
        conditions: [
          { type: "RuntimeReady", status: true, reason: "", message: "" },
          { type: "NetworkReady", status: true, reason: "", message: "" },
        ],
      },
      info: verboseInfo(request.verbose, "config", { simulated: true, podCidr: state.podCidr }),
    }),
  };
}
