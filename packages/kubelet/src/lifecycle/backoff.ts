import type { Clock } from "./clock.js";

/** Settings of a {@link Backoff}. */
export interface BackoffOptions {
  /** First delay after a failure; upstream's container backoff starts at 10 s. */
  initialMs: number;
  /** Cap on the delay; 5 min for containers. */
  maxMs: number;
  /**
   * A failure this long after the previous one starts over at `initialMs`;
   * upstream uses twice `maxMs` (10 min for containers).
   */
  resetAfterMs?: number;
  clock: Clock;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** Upstream's container restart backoff: 10 s doubling to 5 min, reset after 10 min. */
export const CONTAINER_BACKOFF = { initialMs: 10_000, maxMs: 300_000 } as const;
/** Upstream's image pull backoff: the same shape as the container one. */
export const IMAGE_PULL_BACKOFF = { initialMs: 10_000, maxMs: 300_000 } as const;

/**
 * Per-key exponential backoff, as the kubelet keeps for crashing containers
 * and failing image pulls. The first failure is not delayed: {@link next}
 * records it and arms `initialMs`; while armed, {@link inBackoffSince}
 * holds further attempts; each later failure doubles the delay up to
 * `maxMs`, and a quiet spell of `resetAfterMs` starts over.
 */
export class Backoff {
  private readonly entries = new Map<string, Entry>();
  private readonly resetAfterMs: number;

  constructor(private readonly options: BackoffOptions) {
    this.resetAfterMs = options.resetAfterMs ?? options.maxMs * 2;
  }

  /** Whether `key` must still wait, counting its current delay from `sinceMs` (e.g. when the container exited). */
  inBackoffSince(key: string, sinceMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (sinceMs - entry.lastUpdate > this.resetAfterMs) return false;
    return this.options.clock.now() - sinceMs < entry.delayMs;
  }

  /** Records another failure of `key` at `eventMs` and returns the delay now in force. */
  next(key: string, eventMs = this.options.clock.now()): number {
    const entry = this.entries.get(key);
    let delayMs: number;
    if (!entry || eventMs - entry.lastUpdate > this.resetAfterMs) delayMs = this.options.initialMs;
    else delayMs = Math.min(entry.delayMs * 2, this.options.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: this.options.clock.now() });
    return delayMs;
  }

  /** The delay in force for `key`, 0 when none. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Forgets `key` (its pod is gone). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key that has been quiet longer than the reset period. */
  gc(): void {
    const now = this.options.clock.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUpdate > this.resetAfterMs) this.entries.delete(key);
    }
  }
}
