import type { ConnectRouter } from "@connectrpc/connect";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import { createImageServiceImpl } from "./service/image-service.js";
import { createRuntimeServiceImpl, DEFAULT_FS_MOUNTPOINT } from "./service/runtime-service.js";
import { RuntimeState, type RuntimeStateOptions } from "./state/runtime-state.js";

/** Options of {@link createCriSim}. */
export interface CriSimOptions extends RuntimeStateOptions {
  /** Where ImageFsInfo and container stats say images and layers live; nothing is written there. */
  fsMountpoint?: string;
}

/**
 * A simulated CRI runtime: a Connect router configuration (pass it to
 * `createRouterTransport` or `connectNodeAdapter({ routes })`) that serves
 * `runtime.v1.RuntimeService` and `ImageService`, with its in-memory state
 * at hand as `state`.
 */
export type CriSim = ((router: ConnectRouter) => void) & {
  /** The runtime's state: inspect it in tests, change images' availability, read counts. */
  readonly state: RuntimeState;
};

/**
 * Creates a simulated CRI runtime. **Nothing runs**: sandboxes and
 * containers live only in memory and are reported as running.
 *
 * @example
 * ```ts
 * import { createClient, createRouterTransport } from "@connectrpc/connect";
 * import { RuntimeService } from "@kubekit/proto/cri";
 * import { createCriSim } from "@kubekit/cri-sim";
 *
 * const sim = createCriSim({ podCidr: "10.244.1.0/24" });
 * const runtime = createClient(RuntimeService, createRouterTransport(sim));
 * await runtime.version({}); // { runtimeName: "cri-sim", runtimeApiVersion: "v1", ... }
 * ```
 */
export function createCriSim(options: CriSimOptions = {}): CriSim {
  const state = new RuntimeState(options);
  const mountpoint = options.fsMountpoint ?? DEFAULT_FS_MOUNTPOINT;
  const routes = (router: ConnectRouter) => {
    router.service(RuntimeService, createRuntimeServiceImpl(state, mountpoint));
    router.service(ImageService, createImageServiceImpl(state, mountpoint));
  };
  return Object.assign(routes, { state });
}
