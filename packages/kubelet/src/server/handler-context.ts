import type { Client } from "@connectrpc/connect";
import type { RuntimeService } from "@kubekit/proto/cri";
import type { Pod } from "../api/types.js";
import type { ContainerLocator } from "./container-locator.js";

/** What the kubelet API's handlers read: the agent's pods, the runtime, and the knobs. */
export interface KubeletHandlerContext {
  pods(): readonly Pod[];
  runtime: Client<typeof RuntimeService>;
  containers: ContainerLocator;
  /** Epoch ms, for `sinceSeconds`. */
  now(): number;
  logPollMs?: number;
  onError(error: unknown): void;
}
