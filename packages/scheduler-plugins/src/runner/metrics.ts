/**
 * The scheduler's Prometheus metrics, named and labelled as upstream's
 * kube-scheduler exports them (the subset kubekit measures).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueName } from "../queue/scheduling-queue.js";
import type { AttemptOutcome } from "../scheduler/kube-scheduler.js";

/** The scheduler's metrics registry and the hook KubeScheduler reports attempts to. */
export interface SchedulerMetrics {
  readonly registry: Registry;
  /** KubeScheduler's `onAttempt`. */
  observeAttempt(outcome: AttemptOutcome): void;
}

/** A fresh registry (not prom-client's global one, so several schedulers can share a process). */
export function createSchedulerMetrics(
  queueSizes: () => Record<QueueName, number>,
): SchedulerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const attempts = new Counter({
    name: "scheduler_schedule_attempts_total",
    help: "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
    labelNames: ["result", "profile"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "scheduler_scheduling_attempt_duration_seconds",
    help: "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
    labelNames: ["result", "profile"],
    // Upstream's buckets: 1 ms doubling 15 times.
    buckets: Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i),
    registers: [registry],
  });
  new Gauge({
    name: "scheduler_pending_pods",
    help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
    labelNames: ["queue"],
    registers: [registry],
    collect() {
      for (const [queue, n] of Object.entries(queueSizes())) this.set({ queue }, n);
    },
  });
  return {
    registry,
    observeAttempt({ result, profile, durationMs }) {
      attempts.inc({ result, profile });
      duration.observe({ result, profile }, durationMs / 1000);
    },
  };
}
