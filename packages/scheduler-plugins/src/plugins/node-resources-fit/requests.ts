/**
 * Reading one named resource out of {@link Resource} totals.
 */
import type { Resource } from "../../framework/resource.js";

/** The amount of one resource by its API name (cpu in millis). */
export function resourceAmount(r: Resource, name: string): number {
  switch (name) {
    case "cpu":
      return r.milliCPU;
    case "memory":
      return r.memory;
    case "ephemeral-storage":
      return r.ephemeralStorage;
    case "pods":
      return r.allowedPodNumber;
    default:
      return r.scalar.get(name) ?? 0;
  }
}
