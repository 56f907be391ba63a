export { statefulSetController, statefulSetControllerRef } from "./controller.js";
export type { StatefulSetDecision } from "./decide-statefulset.js";
export { decideStatefulSet } from "./decide-statefulset.js";
export type { PersistentVolumeClaim, StatefulSet, StatefulSetStatus } from "./stateful-pod.js";
export {
  claimName,
  claimsFor,
  newStatefulPod,
  ordinalOf,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
} from "./stateful-pod.js";
