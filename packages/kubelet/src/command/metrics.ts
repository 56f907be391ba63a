import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Kubelet } from "../agent/kubelet.js";

/** Sets a counter to a running total kept elsewhere. */
function totalOf(counter: Counter, value: number): void {
  counter.reset();
  counter.inc(value);
}

/**
 * The kubelet's Prometheus metrics, read from the kubelets in this process
 * (one, or many with `--simulated-nodes`) at scrape time, next to Node.js's
 * default process metrics.
 */
export function kubeletMetrics(kubelets: () => readonly Kubelet[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "kubelet_running_pods",
    help: "Pods the kubelet is tracking on its node(s).",
    registers: [registry],
    collect() {
      this.set(kubelets().reduce((sum, k) => sum + k.engine.podCount, 0));
    },
  });
  new Gauge({
    name: "kubelet_nodes",
    help: "Nodes this process runs a kubelet for.",
    registers: [registry],
    collect() {
      this.set(kubelets().length);
    },
  });
  new Counter({
    name: "kubelet_pleg_relist_total",
    help: "Runtime relists (each followed by a sync of every pod).",
    registers: [registry],
    collect() {
      totalOf(
        this,
        kubelets().reduce((sum, k) => sum + k.engine.syncCount, 0),
      );
    },
  });
  new Counter({
    name: "kubelet_pod_status_patches_total",
    help: "PATCHes of pods/status sent to the apiserver.",
    registers: [registry],
    collect() {
      totalOf(
        this,
        kubelets().reduce((sum, k) => sum + k.statuses.counters.patches, 0),
      );
    },
  });
  new Counter({
    name: "kubelet_node_status_reports_total",
    help: "PATCHes of nodes/status sent to the apiserver.",
    registers: [registry],
    collect() {
      totalOf(
        this,
        kubelets().reduce((sum, k) => sum + k.node.counters.statusReports, 0),
      );
    },
  });
  new Counter({
    name: "kubelet_node_lease_renewals_total",
    help: "Successful renewals of the node Lease.",
    registers: [registry],
    collect() {
      totalOf(
        this,
        kubelets().reduce((sum, k) => sum + k.node.counters.leaseRenewals, 0),
      );
    },
  });
  return registry;
}
