import type { Lease } from "@kubekit/client";
import { ControllerResources } from "../common/resources.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Node, NodeCondition } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { conditionsAfterSilence, desiredTaints } from "./node-health.js";

/** The namespace of the kubelets' heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** What the controller last saw of a node's heartbeats, and when it saw them change (its own clock). */
interface Probe {
  heartbeat: string;
  leaseRenew: string;
  observedAt: number;
}

/**
 * Upstream's `nodelifecycle` controller: a node whose kubelet has posted
 * neither a status heartbeat nor a Lease renewal for
 * `--node-monitor-grace-period` gets its Ready condition set Unknown
 * ("Kubelet stopped posting node status."), and every node carries the
 * NoSchedule / NoExecute taints its conditions call for (unreachable,
 * not-ready, pressure, unschedulable), removed when it recovers. Silence
 * is measured on this controller's clock from when it last saw a
 * heartbeat change, never by comparing the kubelet's timestamps with it.
 */
export const nodeLifecycleController: ControllerDescriptor = {
  name: "nodelifecycle",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const nodes = ctx.informers.informerFor<Node>(ControllerResources.nodes);
    const leases = ctx.informers.informerFor<Lease>(ControllerResources.leases);
    const nodeClient = ctx.client.resource<Node>(ControllerResources.nodes);
    const recorder = ctx.eventRecorder("node-controller");
    const graceMs = ctx.settings.nodeMonitorGracePeriodMs;
    const probes = new Map<string, Probe>();
    const now = () => ctx.clock.now();

    /** Notes the node's current heartbeats; a change restarts its grace period. */
    const observe = (name: string): Probe => {
      const node = nodes.lister().get(name);
      const ready = (node?.status?.conditions as NodeCondition[] | undefined)?.find(
        (c) => c.type === "Ready",
      );
      const lease = leases.lister().namespace(NODE_LEASE_NAMESPACE).get(name);
      const heartbeat = ready?.lastHeartbeatTime ?? "";
      const leaseRenew = String(lease?.spec?.renewTime ?? "");
      const old = probes.get(name);
      if (old && old.heartbeat === heartbeat && old.leaseRenew === leaseRenew) return old;
      const probe = { heartbeat, leaseRenew, observedAt: now() };
      probes.set(name, probe);
      return probe;
    };

    const reconcile = async (name: string): Promise<void> => {
      let node = nodes.lister().get(name);
      if (!node) {
        probes.delete(name);
        return;
      }
      const probe = observe(name);
      const silentFor = now() - probe.observedAt;
      if (silentFor >= graceMs) {
        const conditions = conditionsAfterSilence(node, iso(now()));
        if (conditions) {
          node = await nodeClient.updateStatus({ ...node, status: { ...node.status, conditions } });
          recorder.event(
            node,
            "Normal",
            "NodeNotReady",
            `Node ${name} status is now: NodeNotReady`,
          );
        }
      } else {
        // Look again when the grace period would run out.
        queue.addAfter(name, graceMs - silentFor + 50);
      }
      const taints = desiredTaints(node, iso(now()));
      if (JSON.stringify(taints) !== JSON.stringify(node.spec?.taints ?? [])) {
        await nodeClient.update({ ...node, spec: { ...node.spec, taints } });
      }
    };

    const queue = startSyncedWorkLoop(ctx, "nodelifecycle", signal, reconcile, 1);
    nodes.addEventHandler({
      onAdd: (n) => queue.add(n.metadata?.name ?? ""),
      onUpdate: (_o, n) => queue.add(n.metadata?.name ?? ""),
      onDelete: (n) => queue.add(unwrapTombstone(n).metadata?.name ?? ""),
    });
    leases.addEventHandler({
      onAdd: (l) => {
        if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) queue.add(l.metadata?.name ?? "");
      },
      onUpdate: (_o, l) => {
        if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) queue.add(l.metadata?.name ?? "");
      },
    });
  },
};
