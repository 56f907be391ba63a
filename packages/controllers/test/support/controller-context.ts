import { setMaxListeners } from "node:events";
import {
  EventRecorder,
  eventSinkFor,
  Resources,
  realClock,
  SharedInformerFactory,
} from "@kubekit/client";
import { pino } from "pino";
import type {
  ControllerContext,
  ControllerDescriptor,
  ControllerSettings,
} from "../../src/controller.js";
import type { InProcessControlPlane } from "./control-plane.js";

/** A running set of controllers over an in-process control plane, as the manager would run them. */
export interface RunningControllers {
  readonly ctx: ControllerContext;
  stop(): Promise<void>;
}

/**
 * Builds the ControllerContext the controller-manager would hand out (one
 * informer factory, the real clock, pino at warn, events through the
 * apiserver), starts `descriptors`, then the informers, and waits for the
 * caches to sync.
 */
export async function startControllers(
  plane: InProcessControlPlane,
  descriptors: readonly ControllerDescriptor[],
  settings: Partial<ControllerSettings> = {},
): Promise<RunningControllers> {
  const client = plane.client;
  const informers = new SharedInformerFactory(client, { clock: realClock });
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
  const events = eventSinkFor(client.resource(Resources.events));
  const ctx: ControllerContext = {
    client,
    informers,
    clock: realClock,
    logger,
    eventRecorder: (component) => new EventRecorder({ sink: events, component, clock: realClock }),
    settings: { nodeCidrMaskSize: 24, workers: 2, nodeMonitorGracePeriodMs: 40_000, ...settings },
  };
  const stop = new AbortController();
  // Every informer and queue listens on this one signal (the garbage collector alone starts dozens).
  setMaxListeners(0, stop.signal);
  for (const d of descriptors) await d.start(ctx, stop.signal);
  informers.start(stop.signal);
  await informers.waitForCacheSync(stop.signal);
  return {
    ctx,
    async stop() {
      stop.abort();
      await informers.shutdown();
    },
  };
}
