import { type Clock, sleep } from "../clock/clock.js";
import { isConflict } from "../errors/predicates.js";

/** Backoff steps for {@link retryOnConflict}; durations in ms. */
export interface RetryBackoff {
  /** Attempts in all, including the first (upstream's default: 5). */
  steps: number;
  /** First wait (default 10 ms). */
  durationMs: number;
  /** Growth per step (default 1). */
  factor: number;
  /** Up to this fraction added at random (default 0.1). */
  jitter: number;
}

/** client-go's DefaultRetry: 5 attempts, 10 ms apart, 10% jitter. */
export const DEFAULT_RETRY: RetryBackoff = { steps: 5, durationMs: 10, factor: 1, jitter: 0.1 };

/**
 * Runs `fn` (typically: read the latest object, modify it, update it) again
 * while it fails with a 409 Conflict, waiting per `backoff` on `clock`;
 * other errors, and the last conflict, are thrown.
 */
export async function retryOnConflict<T>(
  fn: () => Promise<T>,
  options: { clock: Clock; backoff?: RetryBackoff; random?: () => number; signal?: AbortSignal },
): Promise<T> {
  const backoff = options.backoff ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  let wait = backoff.durationMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || attempt >= backoff.steps) {
        throw err;
      }
    }
    await sleep(options.clock, wait + wait * backoff.jitter * random(), options.signal);
    wait *= backoff.factor;
  }
}
