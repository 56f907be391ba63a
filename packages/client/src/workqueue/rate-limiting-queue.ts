import type { Clock } from "../clock/clock.js";
import { DelayingQueue } from "./delaying-queue.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiters.js";

/** Options for {@link RateLimitingQueue}. */
export interface RateLimitingQueueOptions<T> {
  /** The clock delays are measured on. */
  clock: Clock;
  /** Defaults to {@link defaultControllerRateLimiter}. */
  rateLimiter?: RateLimiter<T>;
}

/**
 * The queue a controller uses: a {@link DelayingQueue} whose
 * {@link addRateLimited} waits as long as the rate limiter says, so failing
 * items back off and succeeding ones are {@link forget}-ten.
 */
export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly #limiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T>) {
    super(options.clock);
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(options.clock);
  }

  /** Adds `item` after the delay the rate limiter assigns it. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.#limiter.when(item));
  }

  /** Resets the item's failure history (it does not remove it from the queue). */
  forget(item: T): void {
    this.#limiter.forget(item);
  }

  /** How many times the item has been rate-limited since it was last forgotten. */
  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }
}
