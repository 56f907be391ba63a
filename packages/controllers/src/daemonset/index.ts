export { daemonSetController, daemonSetControllerRef } from "./controller.js";
export type { DaemonSet, DaemonSetStatus } from "./daemon-pod.js";
export { daemonPodSpec, daemonTolerations, newDaemonPod, targetNodeOf } from "./daemon-pod.js";
export type { DaemonSetDecision, NodeFit } from "./decide-daemonset.js";
export { decideDaemonSet, nodeFit, scaledValue } from "./decide-daemonset.js";
