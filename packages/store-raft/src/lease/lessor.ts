import type { KeyString } from "../mvcc/key-range.js";
import {
  LeaseExistsError,
  LeaseNotFoundError,
  LeaseTtlTooLargeError,
  NotPrimaryLessorError,
} from "./errors.js";

/** The longest TTL a lease may have, in seconds (etcd's MaxLeaseTTL). */
export const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

interface Lease {
  readonly id: bigint;
  /** The TTL granted, in seconds. */
  readonly ttl: number;
  readonly keys: Set<KeyString>;
  /** When the lease expires, in ms of the injected clock; Infinity off the leader. */
  expiry: number;
}

/** A lease as TimeToLive reports it. */
export interface LeaseInfo {
  readonly id: bigint;
  readonly grantedTtl: number;
  /** Seconds left, rounded up; -1 once expired (etcd reports -1 for a gone lease). */
  readonly remainingTtl: number;
  readonly keys: KeyString[];
}

/** The replicated part of the lease table, for snapshots. */
export interface LessorState {
  readonly leases: ReadonlyArray<{
    readonly id: bigint;
    readonly ttl: number;
    readonly keys: readonly KeyString[];
  }>;
}

/**
 * The lease table. Which leases exist, their TTLs and their keys are
 * replicated state: every member applies the same grants, revokes and
 * attachments. When a lease expires is not: only the leader (the "primary")
 * keeps expiry times, on a clock passed in by the caller, and turns expired
 * leases into replicated revokes. A new leader starts every lease's clock
 * again from its full TTL, so a lease never expires early because of a
 * leader change (as etcd does). Pure: no timers, no clock of its own.
 */
export class Lessor {
  private readonly leases = new Map<bigint, Lease>();
  private primary = false;

  /**
   * @param minTtlSeconds the shortest TTL granted; shorter requests are
   *   raised to it (etcd derives it from the election timeout, so that a
   *   lease survives a leader election).
   */
  constructor(private readonly minTtlSeconds = 5) {}

  /** Whether this lessor renews and expires leases (it runs on the leader). */
  get isPrimary(): boolean {
    return this.primary;
  }

  /** Creates a lease. Returns the TTL actually granted. */
  grant(id: bigint, ttlSeconds: number, nowMs: number): number {
    if (ttlSeconds > MAX_LEASE_TTL_SECONDS) throw new LeaseTtlTooLargeError(ttlSeconds);
    if (this.leases.has(id)) throw new LeaseExistsError(id);
    const ttl = Math.max(ttlSeconds, this.minTtlSeconds);
    this.leases.set(id, {
      id,
      ttl,
      keys: new Set(),
      expiry: this.primary ? nowMs + ttl * 1000 : Number.POSITIVE_INFINITY,
    });
    return ttl;
  }

  /** Removes a lease; returns the keys attached to it, which the caller deletes. */
  revoke(id: bigint): KeyString[] {
    const lease = this.get(id);
    this.leases.delete(id);
    return [...lease.keys].sort();
  }

  /** Whether a lease exists. */
  has(id: bigint): boolean {
    return this.leases.has(id);
  }

  /** Attaches a key to a lease (a put with that lease). */
  attach(id: bigint, key: KeyString): void {
    this.get(id).keys.add(key);
  }

  /** Detaches a key (it was overwritten without the lease, or deleted). */
  detach(id: bigint, key: KeyString): void {
    this.leases.get(id)?.keys.delete(key);
  }

  /** Restarts a lease's clock (a keep-alive). Only the primary renews. Returns the TTL. */
  renew(id: bigint, nowMs: number): number {
    if (!this.primary) throw new NotPrimaryLessorError();
    const lease = this.get(id);
    lease.expiry = nowMs + lease.ttl * 1000;
    return lease.ttl;
  }

  /** What TimeToLive reports for a lease. */
  timeToLive(id: bigint, nowMs: number): LeaseInfo {
    const lease = this.get(id);
    const remaining = Number.isFinite(lease.expiry)
      ? Math.max(0, Math.ceil((lease.expiry - nowMs) / 1000))
      : lease.ttl;
    return { id, grantedTtl: lease.ttl, remainingTtl: remaining, keys: [...lease.keys].sort() };
  }

  /** The IDs of every lease. */
  list(): bigint[] {
    return [...this.leases.keys()];
  }

  /**
   * Becomes the primary (this member became leader): every lease gets its
   * full TTL again from `nowMs`, plus `extendMs` of grace.
   */
  promote(nowMs: number, extendMs = 0): void {
    this.primary = true;
    for (const lease of this.leases.values()) lease.expiry = nowMs + extendMs + lease.ttl * 1000;
  }

  /** Stops being the primary (leadership lost): nothing expires here any more. */
  demote(): void {
    this.primary = false;
    for (const lease of this.leases.values()) lease.expiry = Number.POSITIVE_INFINITY;
  }

  /** The leases whose time is up at `nowMs`, oldest expiry first (primary only). */
  expired(nowMs: number): bigint[] {
    if (!this.primary) return [];
    return [...this.leases.values()]
      .filter((lease) => lease.expiry <= nowMs)
      .sort((a, b) => a.expiry - b.expiry)
      .map((lease) => lease.id);
  }

  /** The replicated state, for a snapshot. */
  exportState(): LessorState {
    return {
      leases: [...this.leases.values()].map((lease) => ({
        id: lease.id,
        ttl: lease.ttl,
        keys: [...lease.keys].sort(),
      })),
    };
  }

  /** A non-primary lessor holding `state`. */
  static fromState(state: LessorState, minTtlSeconds?: number): Lessor {
    const lessor = new Lessor(minTtlSeconds);
    for (const lease of state.leases) {
      lessor.leases.set(lease.id, {
        id: lease.id,
        ttl: lease.ttl,
        keys: new Set(lease.keys),
        expiry: Number.POSITIVE_INFINITY,
      });
    }
    return lessor;
  }

  private get(id: bigint): Lease {
    const lease = this.leases.get(id);
    if (lease === undefined) throw new LeaseNotFoundError(id);
    return lease;
  }
}
