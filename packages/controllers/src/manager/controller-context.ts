import {
  type Clock,
  createDynamicClient,
  type DynamicClient,
  EventRecorder,
  eventSinkFor,
  type KubeObject,
  Resources,
  type RestConfig,
  SharedInformerFactory,
} from "@kubekit/client";
import type { Logger } from "pino";
import type { QueueMetrics } from "../common/queue-metrics.js";
import type { ControllerContext, ControllerSettings } from "../controller.js";

/** What {@link createControllerContext} builds a context from. */
export interface ControllerContextOptions {
  /** One client per context; pass `rest` to have one made. */
  client?: DynamicClient;
  rest?: RestConfig;
  clock: Clock;
  logger: Logger;
  settings: ControllerSettings;
  queueMetrics?: QueueMetrics;
  /** The instance name in events' `reportingInstance` (the hostname, upstream). */
  host?: string;
}

/** Drops managedFields from cached objects: controllers never read them and they are most of an object. */
function dropManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * The context every controller of one manager shares: one client, one
 * informer factory (so one watch per resource), the clock, a logger, and
 * an event recorder per component, all writing through the same client.
 */
export function createControllerContext(options: ControllerContextOptions): ControllerContext {
  const client = options.client ?? createDynamicClient(requireRest(options.rest));
  const informers = new SharedInformerFactory(client, {
    clock: options.clock,
    onError: (err) => options.logger.warn({ err }, "list/watch failed; retrying"),
    transform: dropManagedFields,
  });
  const sink = eventSinkFor(client.resource(Resources.events));
  const recorders = new Map<string, EventRecorder>();
  return {
    client,
    informers,
    clock: options.clock,
    logger: options.logger,
    settings: options.settings,
    ...(options.queueMetrics ? { queueMetrics: options.queueMetrics } : {}),
    eventRecorder(component) {
      let recorder = recorders.get(component);
      if (!recorder) {
        recorder = new EventRecorder({
          sink,
          component,
          clock: options.clock,
          ...(options.host ? { host: options.host } : {}),
          onError: (err) => options.logger.debug({ err, component }, "event not recorded"),
        });
        recorders.set(component, recorder);
      }
      return recorder;
    },
  };
}

function requireRest(rest: RestConfig | undefined): RestConfig {
  if (!rest) throw new Error("createControllerContext needs a client or a rest config");
  return rest;
}
