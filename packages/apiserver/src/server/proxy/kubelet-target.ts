import { isRecord, type KubeObject } from "../../types/object.js";

/** How the apiserver reaches kubelets (`--kubelet-client-certificate`, `--kubelet-client-key`, `--kubelet-certificate-authority`). */
export interface KubeletClientConfig {
  /** PEM client certificate the kubelet authenticates the apiserver by. */
  cert?: string;
  key?: string;
  /** PEM CA that signs kubelets' serving certificates; without it they are not verified, as upstream. */
  ca?: string;
}

/** Where a node's kubelet listens. */
export interface KubeletTarget {
  readonly host: string;
  readonly port: number;
}

/** The address types tried in order (upstream's `--kubelet-preferred-address-types`, kubekit's order). */
export const KUBELET_ADDRESS_TYPES = [
  "InternalIP",
  "Hostname",
  "InternalDNS",
  "ExternalIP",
  "ExternalDNS",
] as const;

/** The kubelet port when a node does not report one (upstream's default). */
export const DEFAULT_KUBELET_PORT = 10250;

/**
 * The kubelet of a Node object: its first address of the preferred types
 * and `status.daemonEndpoints.kubeletEndpoint.Port`, or the message
 * upstream gives when the node has no usable address.
 */
export function nodeKubeletTarget(
  node: KubeObject,
): { ok: true; target: KubeletTarget } | { ok: false; message: string } {
  const status = isRecord(node.status) ? node.status : {};
  const addresses = Array.isArray(status.addresses)
    ? status.addresses.filter(
        (a): a is { type: string; address: string } =>
          isRecord(a) && typeof a.type === "string" && typeof a.address === "string",
      )
    : [];
  const endpoints = isRecord(status.daemonEndpoints) ? status.daemonEndpoints : {};
  const kubelet = isRecord(endpoints.kubeletEndpoint) ? endpoints.kubeletEndpoint : {};
  const port =
    typeof kubelet.Port === "number" && kubelet.Port > 0 ? kubelet.Port : DEFAULT_KUBELET_PORT;
  for (const type of KUBELET_ADDRESS_TYPES) {
    const found = addresses.find((a) => a.type === type && a.address !== "");
    if (found) return { ok: true, target: { host: found.address, port } };
  }
  const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(" ");
  return { ok: false, message: `no preferred addresses found; known addresses: [${known}]` };
}

/** `https://host:port` with IPv6 hosts in brackets. */
export function kubeletBaseUrl(target: KubeletTarget): string {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return `https://${host}:${target.port}`;
}
