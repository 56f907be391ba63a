/**
 * `kubekit scheduler`: kube-scheduler on a real apiserver. Informers from
 * `@kubekit/client` feed Nodes and Pods (all namespaces) to a
 * {@link KubeScheduler}; the scheduling loop binds pods by POSTing a v1
 * Binding to `pods/NAME/binding`.
 */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import {
  createDynamicClient,
  DeletedFinalStateUnknown,
  type KubeObject,
  loadKubeconfigFile,
  Resources,
  realClock,
  restConfigFromKubeconfig,
  SharedInformerFactory,
} from "@kubekit/client";
import { type Command, InvalidArgumentError } from "commander";
import { type Logger, pino } from "pino";
import type { Node, Pod } from "../api/types.js";
import { podKey } from "../api/types.js";
import { parseSchedulerConfiguration, type SchedulerConfiguration } from "../config/parse.js";
import type { Binder } from "../framework/handle.js";
import { inTreeArgsValidators } from "../plugins/args-validators.js";
import { inTreeRegistry } from "../plugins/registry.js";
import { KubeScheduler, type SchedulerEvent } from "../scheduler/kube-scheduler.js";

/**
 * The shape of a `kubekit` subcommand (the `kubekit` package's
 * `KubekitCommand`), repeated here so this package does not depend on the
 * umbrella CLI that depends on it.
 */
export interface SchedulerCommand {
  readonly name: string;
  readonly summary: string;
  configure(command: Command): void;
}

/** Options of {@link createSchedulerCommand}; tests pass their own. */
export interface SchedulerCommandOptions {
  /** Ends the scheduler when aborted; by default SIGTERM or SIGINT does. */
  shutdown?: AbortSignal;
  /** Where logs go; by default pino's JSON lines on stdout. */
  logger?: Logger;
}

interface SchedulerFlags {
  kubeconfig: string;
  config?: string;
  leaderElect: boolean;
}

/** How long the loop sleeps when the active queue is empty. */
const IDLE_POLL_MS = 50;

function parseBool(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}"`);
}

/** Resolves on the first of SIGTERM and SIGINT, or when `signal` aborts. */
async function untilShutdown(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    if (!signal.aborted) await once(signal, "abort");
    return;
  }
  const stop = new AbortController();
  await Promise.race([
    once(process, "SIGTERM", { signal: stop.signal }),
    once(process, "SIGINT", { signal: stop.signal }),
  ]);
  stop.abort(); // drop the listener that did not fire
}

function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/** Upstream's scheduler ignores finished pods: they hold no resources. */
function terminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** The v1 Binding the scheduler POSTs to `pods/NAME/binding`. */
export function bindingFor(pod: Pod, nodeName: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Binding",
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace ?? "default",
      ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}),
    },
    target: { apiVersion: "v1", kind: "Node", name: nodeName },
  };
}

async function loadConfig(file: string | undefined): Promise<SchedulerConfiguration | undefined> {
  if (file === undefined) return undefined;
  return parseSchedulerConfiguration(await readFile(file, "utf8"), {
    registry: inTreeRegistry(),
    argsValidators: inTreeArgsValidators(),
  });
}

/**
 * `kubekit scheduler`: watches Nodes and Pods through the apiserver named
 * by `--kubeconfig` and binds pending pods to nodes until SIGTERM.
 */
export function createSchedulerCommand(options: SchedulerCommandOptions = {}): SchedulerCommand {
  return {
    name: "scheduler",
    summary: "run the scheduler: bind pending pods to nodes through the apiserver",
    configure(command) {
      command
        .requiredOption("--kubeconfig <file>", "kubeconfig of the apiserver to schedule through")
        .option("--config <file>", "a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)")
        .option(
          "--leader-elect [enabled]",
          "leader election (not supported yet: only --leader-elect=false)",
          parseBool,
          false,
        )
        .action(async (flags: SchedulerFlags) => {
          if (flags.leaderElect) {
            command.error(
              "error: --leader-elect is not supported yet; run a single scheduler with --leader-elect=false",
              { exitCode: 2, code: "kubekit.usage" },
            );
          }
          const logger = options.logger ?? pino({ name: "kube-scheduler" });
          const config = await loadConfig(flags.config);
          const rest = await restConfigFromKubeconfig(await loadKubeconfigFile(flags.kubeconfig));
          const client = createDynamicClient(rest);
          const podsClient = client.resource(Resources.pods);
          const stop = new AbortController();

          const binder: Binder = {
            async bind(pod, nodeName) {
              await podsClient
                .namespace(pod.metadata.namespace ?? "default")
                .createSubresource(
                  pod.metadata.name,
                  "binding",
                  bindingFor(pod, nodeName),
                  {},
                  stop.signal,
                );
            },
          };
          const onEvent = (event: SchedulerEvent): void => {
            if (event.type === "Scheduled") {
              logger.info({ pod: podKey(event.pod), node: event.nodeName }, event.message);
            } else {
              logger.info(
                { pod: podKey(event.pod), reason: "FailedScheduling" },
                `FailedScheduling: ${event.message}`,
              );
            }
          };
          const scheduler = new KubeScheduler({ binder, onEvent, ...(config ? { config } : {}) });

          const factory = new SharedInformerFactory(client, {
            clock: realClock,
            onError: (err) => logger.warn({ err }, "watch failed; retrying"),
          });
          factory.informerFor(Resources.nodes).addEventHandler({
            onAdd: (n) => scheduler.onNodeAdd(n as unknown as Node),
            onUpdate: (o, n) => scheduler.onNodeUpdate(o as unknown as Node, n as unknown as Node),
            onDelete: (n) => scheduler.onNodeDelete(unwrap(n) as unknown as Node),
          });
          factory.informerFor(Resources.pods).addEventHandler({
            onAdd: (p) => {
              const pod = p as unknown as Pod;
              if (!terminal(pod)) scheduler.onPodAdd(pod);
            },
            onUpdate: (o, p) => {
              const oldPod = o as unknown as Pod;
              const pod = p as unknown as Pod;
              if (terminal(pod)) {
                if (!terminal(oldPod)) scheduler.onPodDelete(oldPod);
              } else if (terminal(oldPod)) {
                scheduler.onPodAdd(pod);
              } else {
                scheduler.onPodUpdate(oldPod, pod);
              }
            },
            onDelete: (p) => scheduler.onPodDelete(unwrap(p) as unknown as Pod),
          });
          factory.start(stop.signal);
          const shutdown = untilShutdown(options.shutdown).then(() => stop.abort());

          logger.info({ kubeconfig: flags.kubeconfig, server: rest.server }, "waiting for caches");
          if (await factory.waitForCacheSync(stop.signal)) {
            logger.info(
              { profiles: [...scheduler.frameworks.keys()] },
              "caches synced; scheduling",
            );
            const flush = setInterval(() => scheduler.flushQueues(), 1000);
            try {
              while (!stop.signal.aborted) {
                const { attempted, binding } = await scheduler.scheduleNext();
                binding.catch((err) => logger.warn({ err }, "binding cycle failed unexpectedly"));
                if (!attempted) {
                  await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
                }
              }
            } finally {
              clearInterval(flush);
            }
          }
          await shutdown;
          logger.info("shutting down");
          await factory.shutdown();
          logger.info("stopped");
        });
    },
  };
}

/** `kubekit scheduler`, stopped by SIGTERM or SIGINT. */
export const schedulerCommand: SchedulerCommand = createSchedulerCommand();
