import type { ControllerDescriptor } from "./controller.js";

/** Controllers for ReplicaSets, ReplicationControllers, Deployments, namespaces, service accounts and node IPAM. */
export const coreControllers: readonly ControllerDescriptor[] = [];
