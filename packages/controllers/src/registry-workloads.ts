import type { ControllerDescriptor } from "./controller.js";
import { cronJobController } from "./cronjob/index.js";
import { daemonSetController } from "./daemonset/index.js";
import { endpointsController } from "./endpoints/index.js";
import { endpointSliceController } from "./endpointslice/index.js";
import { garbageCollectorController } from "./garbagecollector/index.js";
import { jobController, ttlAfterFinishedController } from "./job/index.js";
import { nodeLifecycleController, taintEvictionController } from "./nodelifecycle/index.js";
import { resourceQuotaController } from "./resourcequota/index.js";
import { statefulSetController } from "./statefulset/index.js";

/** Controllers for endpoints, jobs, daemon sets, stateful sets, node lifecycle, quota and garbage collection. */
export const workloadControllers: readonly ControllerDescriptor[] = [
  endpointsController,
  endpointSliceController,
  jobController,
  ttlAfterFinishedController,
  garbageCollectorController,
  daemonSetController,
  statefulSetController,
  nodeLifecycleController,
  taintEvictionController,
  cronJobController,
  resourceQuotaController,
];
