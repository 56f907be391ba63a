import { isConflict, isNotFound, type KubeObject, splitMetaNamespaceKey } from "@kubekit/client";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { keyOf } from "../common/keys.js";
import { ControllerResources } from "../common/resources.js";
import { enqueueSelectingServices, hasSelector, type Service } from "../common/service.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import {
  desiredEndpointsLabels,
  desiredSubsets,
  type EndpointSubset,
} from "./desired-endpoints.js";

/** core/v1 Endpoints. */
export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

/** Upstream's `endpoints` controller: keeps each selector service's Endpoints in step with its pods. */
export const endpointsController: ControllerDescriptor = {
  name: "endpoints",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const services = ctx.informers.informerFor<Service>(ControllerResources.services);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    const endpoints = ctx.informers.informerFor<Endpoints>(ControllerResources.endpoints);
    const client = ctx.client.resource<Endpoints>(ControllerResources.endpoints);

    const reconcile = async (key: string): Promise<void> => {
      const { namespace, name } = splitMetaNamespaceKey(key);
      const service = services
        .lister()
        .namespace(namespace ?? "")
        .get(name);
      const current = endpoints
        .lister()
        .namespace(namespace ?? "")
        .get(name);
      if (!service) {
        // The service is gone: its Endpoints go with it.
        if (current) {
          await client
            .namespace(namespace ?? "")
            .delete(name, { preconditions: { uid: current.metadata?.uid ?? "" } })
            .catch((err) => {
              if (!isNotFound(err) && !isConflict(err)) throw err;
            });
        }
        return;
      }
      // Endpoints of services without a selector belong to whoever wrote them.
      if (!hasSelector(service)) return;
      const subsets = desiredSubsets(
        service,
        pods
          .lister()
          .namespace(namespace ?? "")
          .list(),
      );
      const labels = desiredEndpointsLabels(service);
      if (
        current &&
        JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) &&
        JSON.stringify(current.metadata?.labels ?? {}) === JSON.stringify(labels)
      ) {
        return;
      }
      const desired: Endpoints = {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: current
          ? { ...current.metadata, labels }
          : { name, namespace: namespace ?? "", labels },
        subsets,
      };
      // A stale cache answers Conflict or AlreadyExists; the retry sees the informer caught up.
      if (current) await client.namespace(namespace ?? "").update(desired);
      else await client.namespace(namespace ?? "").create(desired);
    };

    const queue = startSyncedWorkLoop(ctx, "endpoints", signal, reconcile);
    services.addEventHandler(enqueueEveryChange((key) => queue.add(key)));
    pods.addEventHandler(enqueueSelectingServices(services.lister(), (key) => queue.add(key)));
    endpoints.addEventHandler({
      // Someone deleted Endpoints we manage: put them back.
      onDelete: (e) => queue.add(keyOf(unwrapTombstone(e))),
    });
  },
};
