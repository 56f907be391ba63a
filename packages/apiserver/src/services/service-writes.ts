import type { ResourceDefinition } from "../registry/resource.js";
import type { KubeObject } from "../types/object.js";
import type { Allocated, ServiceAllocator } from "./service-allocator.js";

const isService = (def: ResourceDefinition) => def.group === "" && def.resource === "services";

const unchanged = (object: KubeObject): Allocated => ({
  ok: true,
  object,
  commit: async () => {},
  undo: async () => {},
});

/**
 * The allocation step of a write, for any resource: services get their
 * cluster IP and node ports (status writes and other resources pass
 * through unchanged).
 */
export async function allocateForWrite(
  allocator: ServiceAllocator | undefined,
  def: ResourceDefinition,
  next: KubeObject,
  prev: KubeObject | undefined,
  options: { subresource?: string; dryRun?: boolean } = {},
): Promise<Allocated> {
  if (!allocator || !isService(def) || (options.subresource ?? "") !== "") return unchanged(next);
  return allocator.allocate(next, prev, options.dryRun ?? false);
}

/** Releases what a service removed from storage held. */
export async function releaseAfterDelete(
  allocator: ServiceAllocator | undefined,
  def: ResourceDefinition,
  deleted: KubeObject,
): Promise<void> {
  if (allocator && isService(def)) await allocator.release(deleted);
}
