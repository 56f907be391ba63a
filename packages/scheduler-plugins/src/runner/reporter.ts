/**
 * Turns the scheduler's outcomes into what users see in the cluster:
 * Scheduled / FailedScheduling Events (core/v1, through `@kubekit/client`'s
 * EventRecorder, which folds repeats into a count as upstream), and for a
 * failure the PodScheduled=False condition and any nominated node on
 * pods/status.
 */
import { hostname } from "node:os";
import {
  type Clock,
  type CoreEvent,
  EventRecorder,
  eventSinkFor,
  isNotFound,
  type KubeObject,
  type ResourceClient,
} from "@kubekit/client";
import type { Logger } from "pino";
import { podKey } from "../api/types.js";
import type { SchedulerEvent } from "../scheduler/kube-scheduler.js";
import { failedSchedulingStatusPatch, truncateEventMessage } from "./pod-status.js";

/** What the reporter writes through. */
export interface ReporterOptions {
  events: ResourceClient<CoreEvent>;
  pods: ResourceClient<KubeObject>;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
}

/** Records scheduler outcomes on the apiserver; the returned function is KubeScheduler's `onEvent`. */
export function createReporter(o: ReporterOptions): {
  onEvent(event: SchedulerEvent): void;
  flush(): Promise<void>;
} {
  const sink = eventSinkFor(o.events);
  const recorders = new Map<string, EventRecorder>();
  const statusWrites = new Set<Promise<void>>();
  // One recorder per profile: the profile's schedulerName is the reporting controller, as upstream.
  const recorderFor = (profile: string): EventRecorder => {
    let r = recorders.get(profile);
    if (!r) {
      r = new EventRecorder({
        sink,
        component: profile,
        host: `${profile}-${hostname()}`,
        clock: o.clock,
        onError: (err, event) =>
          o.logger.warn({ err, reason: event.reason }, "could not record event"),
      });
      recorders.set(profile, r);
    }
    return r;
  };
  const track = (p: Promise<void>): void => {
    statusWrites.add(p);
    void p.finally(() => statusWrites.delete(p));
  };

  return {
    onEvent(event) {
      const pod = event.pod;
      const ref = { apiVersion: "v1", kind: "Pod", metadata: pod.metadata } as KubeObject;
      if (event.type === "Scheduled") {
        o.logger.info({ pod: podKey(pod), node: event.nodeName }, event.message);
        recorderFor(event.profile).event(ref, "Normal", "Scheduled", event.message);
        return;
      }
      o.logger.info(
        { pod: podKey(pod), reason: "FailedScheduling" },
        `FailedScheduling: ${event.message}`,
      );
      recorderFor(event.profile).event(
        ref,
        "Warning",
        "FailedScheduling",
        truncateEventMessage(event.message),
      );
      const patch = failedSchedulingStatusPatch(
        pod,
        event.reason,
        event.message,
        new Date(o.clock.now()),
        event.nominatedNodeName,
      );
      if (!patch) return;
      track(
        o.pods
          .namespace(pod.metadata.namespace ?? "default")
          .patch(pod.metadata.name, "merge", patch, { subresource: "status" }, o.signal)
          .then(
            () => undefined,
            (err: unknown) => {
              // A pod deleted meanwhile needs no condition.
              if (!isNotFound(err) && !o.signal.aborted)
                o.logger.warn({ err, pod: podKey(pod) }, "could not update pod status");
            },
          ),
      );
    },
    async flush() {
      await Promise.all([...recorders.values()].map((r) => r.flush()));
      await Promise.all([...statusWrites]);
    },
  };
}
