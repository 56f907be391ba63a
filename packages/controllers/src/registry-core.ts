import type { ControllerDescriptor } from "./controller.js";
import { deploymentControllerDescriptor } from "./deployment/deployment-controller.js";
import { namespaceControllerDescriptor } from "./namespace/namespace-controller.js";
import { nodeIpamControllerDescriptor } from "./nodeipam/node-ipam-controller.js";
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND } from "./replicaset/kind.js";
import { replicaSetControllerDescriptor } from "./replicaset/replica-set-controller.js";
import { serviceAccountControllerDescriptor } from "./serviceaccount/service-account-controller.js";

/** Controllers for ReplicaSets, ReplicationControllers, Deployments, namespaces, service accounts and node IPAM. */
export const coreControllers: readonly ControllerDescriptor[] = [
  replicaSetControllerDescriptor(REPLICA_SET_KIND),
  replicaSetControllerDescriptor(REPLICATION_CONTROLLER_KIND),
  deploymentControllerDescriptor,
  serviceAccountControllerDescriptor,
  namespaceControllerDescriptor,
  nodeIpamControllerDescriptor,
];
