import { setMaxListeners } from "node:events";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";

/**
 * Starts `controllers` on `ctx`, then the shared informers (so every
 * controller's informers and handlers exist before the first list), and
 * resolves once the informers have stopped after `signal` aborted.
 */
export async function runControllers(
  ctx: ControllerContext,
  controllers: readonly ControllerDescriptor[],
  signal: AbortSignal,
): Promise<void> {
  // Every controller, work loop and informer listens on this one signal by
  // design (upstream shares one context the same way), so Node's
  // leak warning at 11 listeners would be a false alarm.
  setMaxListeners(0, signal);
  for (const controller of controllers) {
    ctx.logger.info({ controller: controller.name }, "starting controller");
    await controller.start(ctx, signal);
  }
  ctx.informers.start(signal);
  if (await ctx.informers.waitForCacheSync(signal)) {
    ctx.logger.info(
      { controllers: controllers.map((c) => c.name) },
      "caches synced; controllers running",
    );
  }
  if (!signal.aborted) {
    await new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true }),
    );
  }
  await ctx.informers.shutdown();
}
