import type { Clock } from "../clock/clock.js";

/** Decides how long an item waits before it is retried. */
export interface RateLimiter<T> {
  /** The delay in ms before `item` may be processed again; counts as one more requeue. */
  when(item: T): number;
  /** Stops tracking `item` (call after it was processed successfully). */
  forget(item: T): void;
  /** How many times `item` has been requeued since it was last forgotten. */
  numRequeues(item: T): number;
}

/**
 * Per-item exponential backoff: `baseDelayMs * 2^failures`, capped at
 * `maxDelayMs`. client-go's defaults are 5 ms and 1000 s.
 */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1_000_000,
  ) {}

  when(item: T): number {
    const failures = this.#failures.get(item) ?? 0;
    this.#failures.set(item, failures + 1);
    // 2^failures overflows to Infinity past ~1023, which min() then caps.
    return Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs);
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket shared by all items: `burst` retries at once, then
 * `qps` per second. Each call to `when` reserves a token and returns how long
 * to wait for it. client-go's defaults are 10 qps and a burst of 100.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  #tokens: number;
  #last: number;

  constructor(
    readonly clock: Clock,
    readonly qps = 10,
    readonly burst = 100,
  ) {
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.#last) / 1000;
    this.#tokens = Math.min(this.burst, this.#tokens + elapsedSeconds * this.qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/**
 * Retries quickly a few times, then slowly: `fastDelayMs` for the first
 * `maxFastAttempts` requeues of an item, `slowDelayMs` after that.
 */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  readonly #attempts = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const attempts = (this.#attempts.get(item) ?? 0) + 1;
    this.#attempts.set(item, attempts);
    return attempts <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(item: T): void {
    this.#attempts.delete(item);
  }

  numRequeues(item: T): number {
    return this.#attempts.get(item) ?? 0;
  }
}

/** Waits as long as the strictest of several limiters asks. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly #limiters: ReadonlyArray<RateLimiter<T>>;

  constructor(...limiters: Array<RateLimiter<T>>) {
    this.#limiters = limiters;
  }

  when(item: T): number {
    let longest = 0;
    for (const limiter of this.#limiters) {
      longest = Math.max(longest, limiter.when(item));
    }
    return longest;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) {
      limiter.forget(item);
    }
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const limiter of this.#limiters) {
      most = Math.max(most, limiter.numRequeues(item));
    }
    return most;
  }
}

/**
 * client-go's default controller limiter: the max of per-item exponential
 * backoff (5 ms .. 1000 s) and an overall bucket (10 qps, burst 100).
 */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1_000_000),
    new BucketRateLimiter<T>(clock, 10, 100),
  );
}
