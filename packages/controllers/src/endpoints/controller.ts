import { isConflict, isNotFound, type KubeObject, splitMetaNamespaceKey } from "@kubekit/client";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { keyOf, unwrap } from "../workload-common/owner-references.js";
import { WorkloadResources } from "../workload-common/resources.js";
import { startQueue } from "../workload-common/run-queue.js";
import { hasSelector, type Service, serviceSelects } from "../workload-common/service.js";
import type { Pod } from "../workload-common/types.js";
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
    const services = ctx.informers.informerFor<Service>(WorkloadResources.services);
    const pods = ctx.informers.informerFor<Pod>(WorkloadResources.pods);
    const endpoints = ctx.informers.informerFor<Endpoints>(WorkloadResources.endpoints);
    const client = ctx.client.resource<Endpoints>(WorkloadResources.endpoints);

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

    const queue = startQueue(ctx, signal, "endpoints", reconcile);
    const enqueueServicesOf = (pod: Pod): void => {
      const ns = pod.metadata?.namespace ?? "";
      for (const service of services.lister().namespace(ns).list()) {
        if (serviceSelects(service, pod)) queue.add(keyOf(service));
      }
    };
    services.addEventHandler({
      onAdd: (s) => queue.add(keyOf(s)),
      onUpdate: (_o, s) => queue.add(keyOf(s)),
      onDelete: (s) => queue.add(keyOf(unwrap(s))),
    });
    pods.addEventHandler({
      onAdd: (p) => enqueueServicesOf(p),
      onUpdate: (o, p) => {
        enqueueServicesOf(o);
        enqueueServicesOf(p);
      },
      onDelete: (p) => enqueueServicesOf(unwrap(p)),
    });
    endpoints.addEventHandler({
      // Someone deleted Endpoints we manage: put them back.
      onDelete: (e) => queue.add(keyOf(unwrap(e))),
    });
  },
};
