export { endpointSliceController } from "./controller.js";
export type { SlicePlan } from "./plan-slices.js";
export { endpointFor, planSlices, portsFor, sliceLabels } from "./plan-slices.js";
export { SliceTracker } from "./slice-tracker.js";
export type { EndpointSlice, SliceEndpoint, SlicePort } from "./types.js";
export {
  CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  MAX_ENDPOINTS_PER_SLICE,
  SERVICE_NAME_LABEL,
  ZONE_LABEL,
} from "./types.js";
