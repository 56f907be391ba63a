/**
 * The Container Runtime Interface, `runtime.v1`: the kubelet's view of a
 * container runtime. `RuntimeService` runs pod sandboxes and containers,
 * `ImageService` manages images; every request and response message comes
 * with its `…Schema` for `create()`, `toBinary()` and friends.
 *
 * Wire-compatible with Kubernetes' cri-api (same package, names and field
 * numbers), so these descriptors talk to containerd's CRI plugin, CRI-O or
 * kubekit's cri-containerd alike.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { RuntimeService } from "@kubekit/proto/cri";
 * const runtime = createClient(RuntimeService, transport);
 * const { runtimeName } = await runtime.version({});
 * ```
 *
 * @packageDocumentation
 */
export * from "./gen/cri/runtime/v1/api_pb.js";
