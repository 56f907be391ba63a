import type { Clock } from "../clock/clock.js";

/** Settings of an {@link ExponentialBackoff}. */
export interface BackoffOptions {
  /** First delay (ms). client-go's reflector uses 800 ms. */
  initialMs: number;
  /** Largest delay before jitter (ms). The reflector uses 30 s. */
  maxMs: number;
  /** After this long without a backoff, start again from `initialMs`. The reflector uses 2 min. */
  resetAfterMs: number;
  /** Growth per step (default 2). */
  factor?: number;
  /** Adds up to `jitter * delay` at random (default 1, as the reflector). */
  jitter?: number;
}

/**
 * Exponential backoff with jitter on an injected clock and random source:
 * each {@link next} returns a longer delay, until a quiet period resets it.
 */
export class ExponentialBackoff {
  #delay: number;
  #lastAt: number | undefined;

  constructor(
    readonly options: BackoffOptions,
    readonly clock: Clock,
    readonly random: () => number = Math.random,
  ) {
    this.#delay = options.initialMs;
  }

  /** The delay (ms) to wait before the next attempt. */
  next(): number {
    const now = this.clock.now();
    if (this.#lastAt !== undefined && now - this.#lastAt > this.options.resetAfterMs) {
      this.#delay = this.options.initialMs;
    }
    this.#lastAt = now;
    const base = this.#delay;
    this.#delay = Math.min(this.options.maxMs, base * (this.options.factor ?? 2));
    return Math.round(base + base * (this.options.jitter ?? 1) * this.random());
  }

  /** Forgets past failures. */
  reset(): void {
    this.#delay = this.options.initialMs;
    this.#lastAt = undefined;
  }
}
