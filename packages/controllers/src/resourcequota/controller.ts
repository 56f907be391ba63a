import { type KubeObject, splitMetaNamespaceKey } from "@kubekit/client";
import { keyOf } from "../common/keys.js";
import { ControllerResources } from "../common/resources.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { computeUsed, type ResourceQuota } from "./usage.js";

/** Upstream's `--resource-quota-sync-period`: every quota is recomputed at least this often. */
export const QUOTA_RESYNC_MS = 5 * 60_000;

// `count/<resource>` names measured from informers; others are counted by a list.
const INFORMED = new Set([
  "pods",
  "count/pods",
  "services",
  "count/services",
  "configmaps",
  "count/configmaps",
  "secrets",
  "count/secrets",
  "persistentvolumeclaims",
  "count/persistentvolumeclaims",
]);

/** The resource a `count/<resource>[.<group>]` quota names (served versions are v1 for every built-in group). */
export function countedResource(name: string): { group: string; resource: string } | undefined {
  const m = /^count\/([a-z0-9-]+)(?:\.(.+))?$/.exec(name);
  return m ? { resource: m[1] as string, group: m[2] ?? "" } : undefined;
}

/**
 * Upstream's `resourcequota` controller: keeps each ResourceQuota's
 * `status.hard` equal to its `spec.hard` and `status.used` to what its
 * namespace holds, recomputed when those objects change and every
 * {@link QUOTA_RESYNC_MS}.
 */
export const resourceQuotaController: ControllerDescriptor = {
  name: "resourcequota",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const quotas = ctx.informers.informerFor<ResourceQuota>(ControllerResources.resourceQuotas);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    const services = ctx.informers.informerFor<KubeObject>(ControllerResources.services);
    const configMaps = ctx.informers.informerFor<KubeObject>(ControllerResources.configMaps);
    const secrets = ctx.informers.informerFor<KubeObject>(ControllerResources.secrets);
    const claims = ctx.informers.informerFor<KubeObject>(
      ControllerResources.persistentVolumeClaims,
    );
    const client = ctx.client.resource<ResourceQuota>(ControllerResources.resourceQuotas);

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const quota = quotas.lister().namespace(namespace).get(name);
      if (!quota) return;
      const otherCounts = new Map<string, number>();
      for (const resourceName of Object.keys(quota.spec?.hard ?? {})) {
        const counted = countedResource(resourceName);
        if (!counted || INFORMED.has(resourceName)) continue;
        try {
          const list = await ctx.client
            .resource({ ...counted, version: "v1", namespaced: true })
            .namespace(namespace)
            .list();
          otherCounts.set(resourceName, list.items.length);
        } catch {
          // Not a served namespaced resource: it has no usage to report.
        }
      }
      const used = computeUsed(
        quota,
        {
          pods: pods.lister().namespace(namespace).list(),
          services: services.lister().namespace(namespace).list(),
          configMaps: configMaps.lister().namespace(namespace).list(),
          secrets: secrets.lister().namespace(namespace).list(),
          persistentVolumeClaims: claims.lister().namespace(namespace).list(),
          otherCounts,
        },
        ctx.clock.now(),
      );
      const status = { hard: { ...(quota.spec?.hard ?? {}) }, used };
      if (JSON.stringify(status) !== JSON.stringify(quota.status ?? {})) {
        await client.namespace(namespace).updateStatus({ ...quota, status });
      }
      queue.addAfter(key, QUOTA_RESYNC_MS);
    };

    const queue = startSyncedWorkLoop(ctx, "resourcequota", signal, reconcile);
    quotas.addEventHandler({
      onAdd: (rq) => queue.add(keyOf(rq)),
      onUpdate: (o, rq) => {
        // Our own status writes do not need another pass; spec changes and foreign status edits do.
        if (
          JSON.stringify(o.spec) !== JSON.stringify(rq.spec) ||
          JSON.stringify(rq.status?.hard) !== JSON.stringify(rq.spec?.hard)
        ) {
          queue.add(keyOf(rq));
        }
      },
    });
    const enqueueNamespace = (obj: KubeObject): void => {
      for (const rq of quotas
        .lister()
        .namespace(obj.metadata?.namespace ?? "")
        .list())
        queue.add(keyOf(rq));
    };
    for (const informer of [pods, services, configMaps, secrets, claims] as const) {
      (informer as typeof services).addEventHandler({
        onAdd: enqueueNamespace,
        onUpdate: (_o, obj) => enqueueNamespace(obj),
        onDelete: (obj) => enqueueNamespace(unwrapTombstone(obj)),
      });
    }
  },
};
