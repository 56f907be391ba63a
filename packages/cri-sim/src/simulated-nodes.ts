import { createRouterTransport, type Transport } from "@connectrpc/connect";
import { type CriSim, type CriSimOptions, createCriSim } from "./cri-sim.js";

/** The most nodes {@link createSimulatedNodes} makes: one /24 each out of 10.128.0.0/9. */
export const MAX_SIMULATED_NODES = 32_768;

/** Options of {@link createSimulatedNodes}; the rest apply to every node's runtime. */
export interface SimulatedNodesOptions extends Omit<CriSimOptions, "podCidr"> {
  /** Node names are this plus the node's index (default `"sim-node-"`). */
  namePrefix?: string;
  /** Each node's pod CIDR; by default node i gets `10.(128 + i/256).(i%256).0/24`. */
  podCidrFor?: (index: number) => string;
}

/** One simulated node: a name, its pod CIDR and its own runtime. */
export interface SimulatedNode {
  readonly name: string;
  readonly podCidr: string;
  readonly sim: CriSim;
  /**
   * An in-memory Connect transport to this node's runtime, for a kubelet in
   * the same process; made on first use (each costs a few milliseconds).
   */
  readonly transport: Transport;
}

/** The default pod CIDR of the node at `index`. */
export function defaultNodePodCidr(index: number): string {
  return `10.${128 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

/**
 * Makes `count` independent simulated runtimes in this process, each with
 * its own state and pod CIDR, for scale tests that run hundreds of
 * kubelets against simulated nodes.
 */
export function createSimulatedNodes(
  count: number,
  options: SimulatedNodesOptions = {},
): SimulatedNode[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_SIMULATED_NODES) {
    throw new RangeError(`node count must be an integer from 0 to ${MAX_SIMULATED_NODES}`);
  }
  const { namePrefix = "sim-node-", podCidrFor = defaultNodePodCidr, ...runtimeOptions } = options;
  return Array.from({ length: count }, (_, index) => {
    const podCidr = podCidrFor(index);
    const sim = createCriSim({ ...runtimeOptions, podCidr });
    let transport: Transport | undefined;
    return {
      name: `${namePrefix}${index}`,
      podCidr,
      sim,
      get transport() {
        transport ??= createRouterTransport(sim);
        return transport;
      },
    };
  });
}
