import { isConflict, RateLimitingQueue, runWorkers } from "@kubekit/client";
import type { ControllerContext } from "../controller.js";

/** A controller's rate-limited queue of keys, with its workers running. */
export interface WorkLoop {
  /** Enqueues a key (duplicates collapse). */
  add(key: string): void;
  /** Enqueues a key after `delayMs`. */
  addAfter(key: string, delayMs: number): void;
  /** Resolves once the workers have stopped (after the signal aborted). */
  readonly done: Promise<void>;
}

/**
 * The client-go controller loop's worker half for controller `name`:
 * `workers` workers (default `ctx.settings.workers`) run `sync(key)`; a
 * failed sync is retried with upstream's default controller backoff (5 ms
 * doubling to 1000 s, and 10 qps overall). The workers start once `ready`
 * resolves true (caches synced) and stop when `signal` aborts.
 */
export function startWorkLoop(
  ctx: ControllerContext,
  name: string,
  signal: AbortSignal,
  ready: Promise<boolean>,
  sync: (key: string) => Promise<void>,
  workers = ctx.settings.workers,
): WorkLoop {
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  const metrics = ctx.queueMetrics;
  metrics?.depth(name, () => queue.len());
  const log = ctx.logger.child({ controller: name });
  const stop = () => queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop, { once: true });
  const done = ready.then(async (synced) => {
    if (!synced) return;
    await runWorkers(queue, sync, {
      workers,
      onError: (err, key, willRetry) => {
        if (willRetry) metrics?.retried(name);
        // A conflict only means the cache was behind; the retry settles it.
        if (isConflict(err)) log.debug({ key }, "conflict syncing; retrying");
        else log.warn({ err, key, willRetry }, "sync failed");
      },
    });
  });
  return {
    add(key) {
      metrics?.added(name);
      queue.add(key);
    },
    addAfter(key, delayMs) {
      queue.addAfter(key, delayMs);
    },
    done,
  };
}

/**
 * {@link startWorkLoop} whose workers start once every informer the
 * controller asked for so far has synced, as upstream's controllers wait
 * for their caches: call it after the `informerFor` calls.
 */
export function startSyncedWorkLoop(
  ctx: ControllerContext,
  name: string,
  signal: AbortSignal,
  sync: (key: string) => Promise<void>,
  workers = ctx.settings.workers,
): WorkLoop {
  return startWorkLoop(ctx, name, signal, ctx.informers.waitForCacheSync(signal), sync, workers);
}
