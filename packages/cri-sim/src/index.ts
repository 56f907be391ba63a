/**
 * `@kubekit/cri-sim`: a **simulated** CRI runtime. Pod sandboxes and
 * containers live in memory and are reported as running; nothing runs.
 *
 * @packageDocumentation
 */

export {
  type CriSimCommand,
  type CriSimCommandOptions,
  createCriSimCommand,
  criSimCommand,
  DEFAULT_CRI_SIM_ENDPOINT,
  parseUnixEndpoint,
} from "./command.js";
export { type CriSim, type CriSimOptions, createCriSim } from "./cri-sim.js";
export { type CriSimServer, type ServeCriSimOptions, serveCriSim } from "./serve.js";
export {
  DEFAULT_FS_MOUNTPOINT,
  RUNTIME_NAME,
  RUNTIME_VERSION,
} from "./service/runtime-service.js";
export { SIMULATED_ANNOTATION } from "./service/to-proto.js";
export {
  createSimulatedNodes,
  defaultNodePodCidr,
  MAX_SIMULATED_NODES,
  type SimulatedNode,
  type SimulatedNodesOptions,
} from "./simulated-nodes.js";
export {
  type ContainerBehaviour,
  DEFAULT_EXEC_RESULT,
  DEFAULT_STOP_EXIT_CODE,
  type ExecResult,
  KILLED_EXIT_CODE,
  KNOB_PREFIX,
  KNOBS,
  KnobError,
  parseDurationNs,
} from "./state/behaviour.js";
export {
  type Clock,
  createManualClock,
  type ManualClock,
  type RandomBytes,
  systemClock,
  systemRandom,
} from "./state/clock.js";
export { type CommandEffect, commandEffect } from "./state/command-effect.js";
export { SimRuntimeError } from "./state/errors.js";
export { normalizeImageReference } from "./state/image-reference.js";
export {
  DEFAULT_IMAGE_SIZE_BYTES,
  ImageStore,
  type ImageStoreOptions,
  type SimImage,
} from "./state/image-store.js";
export { Ipv4Pool } from "./state/ip-pool.js";
export type { ContainerRecord, SandboxRecord } from "./state/records.js";
export {
  type ContainerFilter,
  DEFAULT_POD_CIDR,
  RuntimeState,
  type RuntimeStateOptions,
  type SandboxFilter,
} from "./state/runtime-state.js";
