/**
 * `@kubekit/example-coscheduling`: gang scheduling of PodGroups as an
 * out-of-tree plugin, loaded by package name (`kubekit scheduler
 * --plugin-package @kubekit/example-coscheduling`). It exports what every
 * plugin package exports, `NAME` and `create(args, handle)`, plus its parts.
 */
import type { Handle } from "@kubekit/scheduler-plugins";
import { createCoscheduling } from "./coscheduling.js";
import type { PodGroupSource } from "./pod-group.js";
import { informerPodGroupSource } from "./sources.js";

export { type CoschedulingArgs, parseCoschedulingArgs } from "./args.js";
export { createCoscheduling, NAME } from "./coscheduling.js";
export {
  POD_GROUP_LABEL,
  POD_GROUPS,
  type PodGroup,
  type PodGroupSource,
  podGroupKey,
  podGroupName,
} from "./pod-group.js";
export { InMemoryPodGroupSource, informerPodGroupSource } from "./sources.js";

/** The Handle, plus a source an embedder may supply through KubeScheduler's handleExtras. */
interface HandleWithInformers extends Handle {
  /** A source supplied directly (tests, embedders), used before the informer factory. */
  readonly podGroupSource?: PodGroupSource;
}

/** The factory the scheduler calls: PodGroups come from the handle's informer factory. */
export function create(args: unknown, handle: Handle) {
  const h = handle as HandleWithInformers;
  const source =
    h.podGroupSource ?? (h.informerFactory ? informerPodGroupSource(h.informerFactory) : undefined);
  if (!source) {
    throw new Error(
      "Coscheduling needs PodGroups: run it in kubekit scheduler (which passes handle.informerFactory), or give KubeScheduler handleExtras.podGroupSource",
    );
  }
  return createCoscheduling(args, handle, source);
}
