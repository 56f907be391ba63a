import {
  createDynamicClient,
  type DynamicClient,
  type RestConfig,
  realClock,
} from "@kubekit/client";
import { pino } from "pino";
import type {
  ControllerContext,
  ControllerDescriptor,
  ControllerSettings,
} from "../../src/controller.js";
import { createControllerContext } from "../../src/manager/controller-context.js";
import { runControllers } from "../../src/manager/run-controllers.js";

/** Controllers running in the test process, as the manager runs them. */
export interface RunningControllers {
  readonly ctx: ControllerContext;
  stop(): Promise<void>;
}

/** Runs `controllers` on their own client to `rest`, with quiet logs, until stopped. */
export function runTestControllers(
  rest: RestConfig,
  controllers: readonly ControllerDescriptor[],
  settings: Partial<ControllerSettings> = {},
  client: DynamicClient = createDynamicClient(rest),
): RunningControllers {
  const ctx = createControllerContext({
    client,
    clock: realClock,
    logger: pino({ level: process.env.KUBEKIT_TEST_LOG ?? "silent" }),
    settings: { nodeCidrMaskSize: 24, workers: 5, nodeMonitorGracePeriodMs: 40_000, ...settings },
  });
  const stop = new AbortController();
  const running = runControllers(ctx, controllers, stop.signal);
  return {
    ctx,
    async stop() {
      stop.abort();
      await running;
      client.close();
    },
  };
}
