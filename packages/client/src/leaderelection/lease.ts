import type { KubeObject } from "../meta/types.js";

/** coordination.k8s.io/v1 LeaseSpec. Times are RFC 3339 with microseconds (MicroTime). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/**
 * The one Lease a leader elector competes for. `update` must be a
 * compare-and-swap on `metadata.resourceVersion`: it rejects with a 409
 * Conflict StatusError when the lease changed since it was read; `create`
 * rejects with AlreadyExists when someone created it first.
 */
export interface LeaseClient {
  /** The lease, or undefined if it does not exist. */
  get(signal?: AbortSignal): Promise<Lease | undefined>;
  create(lease: Lease, signal?: AbortSignal): Promise<Lease>;
  update(lease: Lease, signal?: AbortSignal): Promise<Lease>;
  /** `namespace/name`, for messages. */
  describe(): string;
}

/** Formats ms since the epoch as a metav1.MicroTime (`2024-01-01T00:00:00.000000Z`). */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
