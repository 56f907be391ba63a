import {
  defaultControllerRateLimiter,
  isConflict,
  RateLimitingQueue,
  runWorkers,
} from "@kubekit/client";
import type { ControllerContext } from "../controller.js";

/**
 * A rate-limited work queue with `workers` workers reconciling its keys,
 * shut down when `signal` aborts: the worker half every controller here
 * shares. Failures are logged and retried with the default controller
 * rate limiter (5 ms doubling to 1000 s, and 10 qps overall).
 */
export function startQueue(
  ctx: ControllerContext,
  signal: AbortSignal,
  name: string,
  reconcile: (key: string) => Promise<void>,
  workers = ctx.settings.workers,
): RateLimitingQueue<string> {
  const queue = new RateLimitingQueue<string>({
    clock: ctx.clock,
    rateLimiter: defaultControllerRateLimiter(ctx.clock),
  });
  const log = ctx.logger.child({ controller: name });
  signal.addEventListener("abort", () => queue.shutDown(), { once: true });
  void runWorkers(queue, reconcile, {
    workers,
    // A conflict only means the cache was behind; the retry settles it.
    onError: (err, key, willRetry) =>
      isConflict(err)
        ? log.debug({ key }, `conflict syncing ${key}; retrying`)
        : log.warn({ err, key, willRetry }, `error syncing ${key}`),
  });
  return queue;
}
