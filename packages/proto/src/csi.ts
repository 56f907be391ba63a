/**
 * The Container Storage Interface, `csi.v1`: how an orchestrator drives a
 * storage plugin. `Identity` (who the plugin is), `Controller` (provision
 * and attach volumes) and `Node` (stage and mount them on this node), with
 * every message's `…Schema`.
 *
 * Wire-compatible with the CSI spec (same package, names and field
 * numbers), so these descriptors talk to any CSI driver, and a kubekit
 * driver built on them serves any CSI-speaking orchestrator.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { Identity } from "@kubekit/proto/csi";
 * const identity = createClient(Identity, transport);
 * const { name } = await identity.getPluginInfo({});
 * ```
 *
 * @packageDocumentation
 */
export * from "./gen/csi/v1/csi_pb.js";
