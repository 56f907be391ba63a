export { countedResource, QUOTA_RESYNC_MS, resourceQuotaController } from "./controller.js";
export type { NamespaceObjects, ResourceQuota } from "./usage.js";
export { computeUsed, podCountsForQuota, podMatchesScopes, podResource } from "./usage.js";
