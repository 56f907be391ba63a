import { isNotFound, splitMetaNamespaceKey } from "@kubekit/client";
import { keyOf } from "../common/keys.js";
import { ControllerResources } from "../common/resources.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { jobFinishTime } from "./job-conditions.js";
import type { Job } from "./types.js";

/**
 * When a finished Job with `ttlSecondsAfterFinished` may be deleted (ms),
 * counted from its final condition's transition time; undefined when it
 * has no TTL or has not finished.
 */
export function ttlExpiry(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const finished = jobFinishTime(job);
  if (ttl === undefined || !finished || job.metadata?.deletionTimestamp) return undefined;
  return finished.getTime() + ttl * 1000;
}

/**
 * Upstream's `ttl-after-finished` controller: deletes finished Jobs once
 * their `ttlSecondsAfterFinished` has passed, in the foreground so their
 * pods go first. It re-reads the Job before deleting, since the TTL may
 * have been changed, and deletes only the Job it checked (uid and
 * resourceVersion preconditions).
 */
export const ttlAfterFinishedController: ControllerDescriptor = {
  name: "ttl-after-finished",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const jobs = ctx.informers.informerFor<Job>(ControllerResources.jobs);
    const client = ctx.client.resource<Job>(ControllerResources.jobs);

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const cached = jobs.lister().namespace(namespace).get(name);
      if (!cached || ttlExpiry(cached) === undefined) return;
      const now = ctx.clock.now();
      const expiry = ttlExpiry(cached) as number;
      if (expiry > now) {
        queue.addAfter(key, expiry - now);
        return;
      }
      // The cache may be stale: check the live Job before deleting it.
      let fresh: Job;
      try {
        fresh = await client.namespace(namespace).get(name);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      const freshExpiry = ttlExpiry(fresh);
      if (freshExpiry === undefined) return;
      if (freshExpiry > now) {
        queue.addAfter(key, freshExpiry - now);
        return;
      }
      try {
        await client.namespace(namespace).delete(name, {
          propagationPolicy: "Foreground",
          preconditions: {
            uid: fresh.metadata?.uid ?? "",
            resourceVersion: fresh.metadata?.resourceVersion ?? "",
          },
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    };

    const queue = startSyncedWorkLoop(ctx, "ttl-after-finished", signal, reconcile);
    jobs.addEventHandler({
      onAdd: (j) => {
        if (ttlExpiry(j) !== undefined) queue.add(keyOf(j));
      },
      onUpdate: (_o, j) => {
        if (ttlExpiry(j) !== undefined) queue.add(keyOf(j));
      },
    });
  },
};
