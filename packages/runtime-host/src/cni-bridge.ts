import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A private bridge network for the CRI plugin; see {@link writeBridgeNetwork}. */
export interface BridgeNetworkOptions {
  /** The CRI plugin's CNI config dir, e.g. {@link Containerd.cniConfDir}. */
  readonly confDir: string;
  /** Host bridge interface to create, at most 15 characters; must not exist yet. */
  readonly bridge: string;
  /** Pod subnet, e.g. `10.233.7.0/24`; the bridge gets its first address. */
  readonly subnet: string;
  /** Where host-local IPAM records its leases. */
  readonly dataDir: string;
}

/** A bridge network written for the CRI plugin, and how to take it down. */
export interface BridgeNetwork {
  readonly bridge: string;
  readonly subnet: string;
  /** Deletes the config, the leases and the host bridge. */
  remove(): Promise<void>;
}

/**
 * Writes a CNI network config (spec 1.0.0) that puts pods on a host bridge
 * of their own with host-local addresses from `subnet`, no masquerading
 * (nothing is added to iptables). containerd's CRI plugin picks it up from
 * its conf dir and reports NetworkReady.
 */
export async function writeBridgeNetwork(options: BridgeNetworkOptions): Promise<BridgeNetwork> {
  if (options.bridge.length > 15) throw new Error(`bridge name too long: ${options.bridge}`);
  const file = join(options.confDir, `10-${options.bridge}.conflist`);
  const config = {
    cniVersion: "1.0.0",
    name: options.bridge,
    plugins: [
      {
        type: "bridge",
        bridge: options.bridge,
        isGateway: true,
        ipMasq: false,
        ipam: {
          type: "host-local",
          ranges: [[{ subnet: options.subnet }]],
          dataDir: options.dataDir,
        },
      },
    ],
  };
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  return {
    bridge: options.bridge,
    subnet: options.subnet,
    async remove() {
      await rm(file, { force: true });
      await rm(options.dataDir, { recursive: true, force: true });
      // The bridge plugin creates the link on first use; it may not exist.
      await execFileAsync("ip", ["link", "del", options.bridge]).catch(() => {});
    },
  };
}
