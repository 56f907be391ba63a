import type { ControllerDescriptor } from "./controller.js";
import { coreControllers } from "./registry-core.js";
import { workloadControllers } from "./registry-workloads.js";

/** Every controller this package has, by upstream name. */
export function allControllers(): readonly ControllerDescriptor[] {
  return [...coreControllers, ...workloadControllers];
}
