/**
 * @kubekit/controllers — the controller-manager: level-triggered
 * reconcilers on `@kubekit/client` informers and workqueues.
 */
export type {
  ControllerContext,
  ControllerDescriptor,
  ControllerSettings,
} from "./controller.js";
export { allControllers } from "./registry.js";
