export { countedResource, QUOTA_RESYNC_MS, resourceQuotaController } from "./controller.js";
export type { Quantity } from "./quantity.js";
export { addQuantities, formatQuantity, parseQuantity } from "./quantity.js";
export type { NamespaceObjects, ResourceQuota } from "./usage.js";
export { computeUsed, podCountsForQuota, podMatchesScopes, podResource } from "./usage.js";
