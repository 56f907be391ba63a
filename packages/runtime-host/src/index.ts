/**
 * @kubekit/runtime-host — the node's container runtime, hosted: starts and
 * supervises a private containerd (its own config, root, state and socket),
 * builds a busybox or pause image offline from the host's static busybox,
 * imports image archives, and writes a bridge CNI network for pods.
 */
export type { BridgeNetwork, BridgeNetworkOptions } from "./cni-bridge.js";
export { writeBridgeNetwork } from "./cni-bridge.js";
export type { Containerd, ContainerdConfigValues, ContainerdOptions } from "./containerd.js";
export { detectSnapshotter, renderConfig, startContainerd } from "./containerd.js";
export type { BusyboxImage, BusyboxImageOptions, ImportImageOptions } from "./images.js";
export { buildBusyboxImage, importImage, normalizeRepository, PAUSE_COMMAND } from "./images.js";
