import { isNotFound, Resources } from "@kubekit/client";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Node } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { CidrAllocator } from "./allocator.js";

const NAME = "nodeipam";

const cidrsOf = (node: Node): string[] =>
  node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];

/**
 * Starts node IPAM (upstream's RangeAllocator): with a cluster CIDR
 * (`--allocate-node-cidrs --cluster-cidr`), every node without a pod CIDR
 * gets the next free `/node-cidr-mask-size` subnet in spec.podCIDR and
 * spec.podCIDRs. Subnets nodes already hold are taken from the informer's
 * first list before any allocation, so a restart never hands one out twice;
 * a deleted node's subnet is freed.
 */
export function startNodeIpamController(ctx: ControllerContext, signal: AbortSignal): void {
  const log = ctx.logger.child({ controller: NAME });
  const clusterCidr = ctx.settings.clusterCidr;
  if (!clusterCidr) {
    log.info("no --cluster-cidr with --allocate-node-cidrs: not allocating node CIDRs");
    return;
  }
  const allocator = new CidrAllocator(clusterCidr, ctx.settings.nodeCidrMaskSize);
  const recorder = ctx.eventRecorder("cidrAllocator");
  const informer = ctx.informers.informerFor<Node>(Resources.nodes);
  const nodes = ctx.client.resource<Node>(Resources.nodes);
  /** Subnets allocated but not yet seen on their node, by node name. */
  const pending = new Map<string, string>();
  const loop = startSyncedWorkLoop(ctx, NAME, signal, sync);
  // Handlers run for the whole first list before the workers start, so
  // every held subnet is occupied before the first allocation.
  informer.addEventHandler({
    onAdd: (node) => {
      for (const cidr of cidrsOf(node)) allocator.occupy(cidr);
      if (cidrsOf(node).length === 0) loop.add(node.metadata.name ?? "");
    },
    onUpdate: (_old, node) => {
      for (const cidr of cidrsOf(node)) allocator.occupy(cidr);
      if (cidrsOf(node).length === 0) loop.add(node.metadata.name ?? "");
    },
    onDelete: (obj) => {
      const node = unwrapTombstone(obj);
      for (const cidr of cidrsOf(node)) allocator.release(cidr);
      const held = pending.get(node.metadata.name ?? "");
      if (held) {
        allocator.release(held);
        pending.delete(node.metadata.name ?? "");
      }
    },
  });

  async function sync(name: string): Promise<void> {
    const node = informer.lister().get(name);
    if (!node || cidrsOf(node).length > 0) {
      pending.delete(name);
      return;
    }
    let cidr = pending.get(name);
    if (!cidr) {
      cidr = allocator.allocate();
      if (!cidr) {
        recorder.event(
          node,
          "Normal",
          "CIDRNotAvailable",
          `Node ${name} status is now: CIDRNotAvailable`,
        );
        throw new Error(`no pod CIDR left in ${clusterCidr} for node ${name}`);
      }
      pending.set(name, cidr);
    }
    try {
      // The resourceVersion precondition: if someone set a CIDR meanwhile, this conflicts and we look again.
      await nodes.patch(name, "merge", {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { podCIDR: cidr, podCIDRs: [cidr] },
      });
      log.info({ node: name, podCIDR: cidr }, "allocated pod CIDR");
    } catch (err) {
      if (isNotFound(err)) {
        allocator.release(cidr);
        pending.delete(name);
        return;
      }
      throw err;
    }
  }
}

/** The `nodeipam` controller: on by default, idle unless --allocate-node-cidrs. */
export const nodeIpamControllerDescriptor: ControllerDescriptor = {
  name: NAME,
  enabledByDefault: true,
  start: (ctx, signal) => startNodeIpamController(ctx, signal),
};
