export type { NodeCondition } from "../common/types.js";
export { NODE_LEASE_NAMESPACE, nodeLifecycleController } from "./controller.js";
export { evictionTime } from "./eviction-time.js";
export {
  conditionsAfterSilence,
  desiredTaints,
  NOT_READY_TAINT,
  UNREACHABLE_TAINT,
} from "./node-health.js";
export { taintEvictionController } from "./taint-eviction.js";
