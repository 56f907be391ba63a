import type { NetworkInterfaceInfo } from "node:os";

/**
 * The node's primary IP: `--node-ip` when given, else the first
 * non-loopback IPv4 address of the host's interfaces (in the order the OS
 * lists them), else 127.0.0.1.
 */
export function chooseNodeIP(
  flag: string | undefined,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): string {
  if (flag) return flag;
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) return address.address;
    }
  }
  return "127.0.0.1";
}
