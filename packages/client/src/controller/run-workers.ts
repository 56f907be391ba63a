import type { RateLimitingQueue } from "../workqueue/rate-limiting-queue.js";

/** Settings of {@link runWorkers}. */
export interface RunWorkersOptions {
  /** How many keys are reconciled at once (default 1). */
  workers?: number;
  /** Retries per key before it is dropped until its next change (default 15). */
  maxRetries?: number;
  /** Told about every failed reconcile, with whether it will be retried. */
  onError?: (err: unknown, key: string, willRetry: boolean) => void;
}

/**
 * The worker half of the client-go controller loop: `workers` loops of
 * `get → reconcile(key) → forget on success / addRateLimited on failure →
 * done`, until the queue shuts down and is drained. Resolves when every
 * worker has returned; shut the queue down to stop them.
 */
export async function runWorkers(
  queue: RateLimitingQueue<string>,
  reconcile: (key: string) => Promise<void>,
  options: RunWorkersOptions = {},
): Promise<void> {
  const maxRetries = options.maxRetries ?? 15;
  const worker = async (): Promise<void> => {
    // Ends when get() reports shutdown: the queue is shut down and empty.
    for (;;) {
      const { item: key, shutdown } = await queue.get();
      if (shutdown) {
        return;
      }
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (err) {
        const willRetry = queue.numRequeues(key) < maxRetries;
        options.onError?.(err, key, willRetry);
        if (willRetry) {
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 1) }, worker));
}
