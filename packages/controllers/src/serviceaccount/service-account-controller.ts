import {
  isAlreadyExists,
  isForbidden,
  isNotFound,
  type KubeObject,
  Resources,
} from "@kubekit/client";
import { unwrapTombstone } from "../common/tombstone.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";

const NAME = "serviceaccount";
/** The service accounts every namespace gets (upstream's default: just `default`). */
export const DEFAULT_SERVICE_ACCOUNTS: readonly string[] = ["default"];

const terminating = (ns: KubeObject | undefined) =>
  !ns ||
  Boolean(ns.metadata?.deletionTimestamp) ||
  (ns.status as { phase?: string } | undefined)?.phase === "Terminating";

/**
 * Starts the ServiceAccount controller: every active namespace has a
 * `default` ServiceAccount, re-created if deleted.
 */
export function startServiceAccountController(ctx: ControllerContext, signal: AbortSignal): void {
  const nsInformer = ctx.informers.informerFor(Resources.namespaces);
  const saInformer = ctx.informers.informerFor(Resources.serviceAccounts);
  const saClient = ctx.client.resource(Resources.serviceAccounts);
  const loop = startSyncedWorkLoop(ctx, NAME, signal, sync);

  nsInformer.addEventHandler({
    onAdd: (ns) => loop.add(ns.metadata?.name ?? ""),
    onUpdate: (_o, ns) => loop.add(ns.metadata?.name ?? ""),
  });
  saInformer.addEventHandler({
    onDelete: (obj) => {
      const sa = unwrapTombstone(obj);
      if (DEFAULT_SERVICE_ACCOUNTS.includes(sa.metadata?.name ?? ""))
        loop.add(sa.metadata?.namespace ?? "");
    },
  });

  async function sync(namespace: string): Promise<void> {
    const ns = nsInformer.lister().get(namespace);
    if (terminating(ns)) return;
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (saInformer.lister().namespace(namespace).get(name)) continue;
      try {
        await saClient.namespace(namespace).create({
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name, namespace },
        });
      } catch (err) {
        // Already there, or the namespace went away or began terminating meanwhile.
        if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err)) continue;
        throw err;
      }
    }
  }
}

/** The `serviceaccount` controller, on by default. */
export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: NAME,
  enabledByDefault: true,
  start: (ctx, signal) => startServiceAccountController(ctx, signal),
};
