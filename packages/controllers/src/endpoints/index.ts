export type { Endpoints } from "./controller.js";
export { endpointsController } from "./controller.js";
export type { EndpointAddress, EndpointPort, EndpointSubset } from "./desired-endpoints.js";
export { desiredEndpointsLabels, desiredSubsets, HEADLESS_LABEL } from "./desired-endpoints.js";
