import { isConflict, isNotFound, splitMetaNamespaceKey } from "@kubekit/client";
import { enqueueEveryChange } from "../common/enqueue-handlers.js";
import { keyOf } from "../common/keys.js";
import { ControllerResources } from "../common/resources.js";
import { enqueueSelectingServices, hasSelector, type Service } from "../common/service.js";
import { unwrapTombstone } from "../common/tombstone.js";
import type { Node, Pod } from "../common/types.js";
import { startSyncedWorkLoop } from "../common/work-loop.js";
import type { ControllerContext, ControllerDescriptor } from "../controller.js";
import { planSlices } from "./plan-slices.js";
import { SliceTracker } from "./slice-tracker.js";
import {
  CONTROLLER_NAME,
  type EndpointSlice,
  MANAGED_BY_LABEL,
  MAX_ENDPOINTS_PER_SLICE,
  SERVICE_NAME_LABEL,
  ZONE_LABEL,
} from "./types.js";

const SERVICE_INDEX = "service";

/** Upstream's `endpointslice` controller: discovery.k8s.io/v1 EndpointSlices for selector services. */
export const endpointSliceController: ControllerDescriptor = {
  name: "endpointslice",
  enabledByDefault: true,
  start(ctx: ControllerContext, signal: AbortSignal) {
    const services = ctx.informers.informerFor<Service>(ControllerResources.services);
    const pods = ctx.informers.informerFor<Pod>(ControllerResources.pods);
    const slices = ctx.informers.informerFor<EndpointSlice>(ControllerResources.endpointSlices, {
      indexers: {
        // Our slices, by the service they belong to.
        [SERVICE_INDEX]: (s) => {
          const labels = s.metadata?.labels ?? {};
          const service = labels[SERVICE_NAME_LABEL];
          return service && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME
            ? [`${s.metadata?.namespace}/${service}`]
            : [];
        },
      },
    });
    const nodes = ctx.informers.informerFor<Node>(ControllerResources.nodes);
    const zoneOf = (nodeName: string): string | undefined =>
      nodes.lister().get(nodeName)?.metadata?.labels?.[ZONE_LABEL];
    const client = ctx.client.resource<EndpointSlice>(ControllerResources.endpointSlices);
    const tracker = new SliceTracker(() => ctx.clock.now());

    const reconcile = async (key: string): Promise<void> => {
      const { namespace = "", name } = splitMetaNamespaceKey(key);
      const service = services.lister().namespace(namespace).get(name);
      if (!service || !hasSelector(service)) {
        // Slices of a deleted service go with it (the garbage collector would also remove them).
        tracker.forget(key);
        for (const slice of slices.indexer.byIndex(SERVICE_INDEX, key)) {
          await deleteSlice(slice);
        }
        return;
      }
      if (tracker.stale(key)) {
        queue.addAfter(key, 100);
        return;
      }
      const existing = slices.indexer.byIndex(SERVICE_INDEX, key);
      const plan = planSlices(
        service,
        pods.lister().namespace(namespace).list(),
        existing,
        MAX_ENDPOINTS_PER_SLICE,
        zoneOf,
      );
      const ns = client.namespace(namespace);
      for (const slice of plan.create) {
        const created = await ns.create(slice);
        tracker.wrote(key, created.metadata?.name ?? "", created.metadata?.resourceVersion ?? "");
      }
      for (const slice of plan.update) {
        const updated = await ns.update(slice);
        tracker.wrote(key, updated.metadata?.name ?? "", updated.metadata?.resourceVersion ?? "");
      }
      for (const slice of plan.delete) {
        await deleteSlice(slice);
        tracker.wrote(key, slice.metadata?.name ?? "", "");
      }
    };

    const deleteSlice = async (slice: EndpointSlice): Promise<void> => {
      try {
        await client.namespace(slice.metadata?.namespace ?? "").delete(slice.metadata?.name ?? "", {
          preconditions: { uid: slice.metadata?.uid ?? "" },
        });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    };

    const queue = startSyncedWorkLoop(ctx, "endpointslice", signal, reconcile);
    const serviceKeyOf = (slice: EndpointSlice): string | undefined => {
      const labels = slice.metadata?.labels ?? {};
      if (labels[MANAGED_BY_LABEL] !== CONTROLLER_NAME || !labels[SERVICE_NAME_LABEL])
        return undefined;
      return `${slice.metadata?.namespace}/${labels[SERVICE_NAME_LABEL]}`;
    };
    // A node moving zones changes the endpoints on it (rare: look at every service).
    nodes.addEventHandler({
      onUpdate: (o, n) => {
        if (o.metadata?.labels?.[ZONE_LABEL] === n.metadata?.labels?.[ZONE_LABEL]) return;
        for (const s of services.lister().list()) queue.add(keyOf(s));
      },
    });
    services.addEventHandler(enqueueEveryChange((key) => queue.add(key)));
    pods.addEventHandler(enqueueSelectingServices(services.lister(), (key) => queue.add(key)));
    slices.addEventHandler({
      onAdd: (s) => {
        const key = serviceKeyOf(s);
        if (!key) return;
        tracker.observed(key, s.metadata?.name ?? "", s.metadata?.resourceVersion ?? "");
        queue.add(key);
      },
      onUpdate: (_o, s) => {
        const key = serviceKeyOf(s);
        if (!key) return;
        tracker.observed(key, s.metadata?.name ?? "", s.metadata?.resourceVersion ?? "");
        queue.add(key);
      },
      onDelete: (d) => {
        const s = unwrapTombstone(d);
        const key = serviceKeyOf(s);
        if (!key) return;
        tracker.observed(key, s.metadata?.name ?? "", "");
        queue.add(key);
      },
    });
  },
};
