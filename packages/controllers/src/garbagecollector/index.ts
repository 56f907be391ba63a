export { collectable, garbageCollectorController } from "./controller.js";
export type { DependentAction, OwnerState } from "./decide.js";
export { blockingDependents, decideDependent } from "./decide.js";
export type { GraphNode } from "./graph.js";
export {
  FOREGROUND_FINALIZER,
  isDeletingDependents,
  isOrphaning,
  nodeFor,
  ORPHAN_FINALIZER,
  OwnerGraph,
} from "./graph.js";
