import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { QueueMetrics } from "../common/queue-metrics.js";

/** The controller-manager's Prometheus metrics: upstream's workqueue_* and leader_election_master_status. */
export interface ManagerMetrics {
  readonly registry: Registry;
  readonly queues: QueueMetrics;
  /** 1 while this process leads, else 0. */
  setLeader(leading: boolean): void;
}

/** A fresh registry with process metrics, work-queue metrics and the leader gauge. */
export function createManagerMetrics(leaseName: string): ManagerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const adds = new Counter({
    name: "workqueue_adds_total",
    help: "Total number of adds handled by workqueue",
    labelNames: ["name"],
    registers: [registry],
  });
  const retries = new Counter({
    name: "workqueue_retries_total",
    help: "Total number of retries handled by workqueue",
    labelNames: ["name"],
    registers: [registry],
  });
  const depthReaders = new Map<string, () => number>();
  new Gauge({
    name: "workqueue_depth",
    help: "Current depth of workqueue",
    labelNames: ["name"],
    registers: [registry],
    collect() {
      for (const [name, read] of depthReaders) this.set({ name }, read());
    },
  });
  const leader = new Gauge({
    name: "leader_election_master_status",
    help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.",
    labelNames: ["name"],
    registers: [registry],
  });
  leader.set({ name: leaseName }, 0);
  return {
    registry,
    queues: {
      added: (name) => adds.inc({ name }),
      retried: (name) => retries.inc({ name }),
      depth: (name, read) => depthReaders.set(name, read),
    },
    setLeader: (leading) => leader.set({ name: leaseName }, leading ? 1 : 0),
  };
}
