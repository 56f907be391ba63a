import { isPodReady } from "../common/pod-status.js";
import {
  findPort,
  type Service,
  serviceSelects,
  shouldPodBeInEndpoints,
} from "../common/service.js";
import type { Pod } from "../common/types.js";
import { HEADLESS_LABEL } from "../endpoints/desired-endpoints.js";
import {
  CONTROLLER_NAME,
  type EndpointSlice,
  MANAGED_BY_LABEL,
  MAX_ENDPOINTS_PER_SLICE,
  SERVICE_NAME_LABEL,
  type SliceEndpoint,
  type SlicePort,
} from "./types.js";

/** What the controller writes to bring a service's slices to the desired state. */
export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

const portsKey = (ports: readonly SlicePort[]): string =>
  JSON.stringify(
    [...ports]
      .sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port)
      .map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? ""]),
  );

const endpointKey = (e: SliceEndpoint): string => e.targetRef?.uid ?? e.addresses[0] ?? "";

/** The endpoint a pod contributes, with upstream's ready / serving / terminating conditions. */
export function endpointFor(pod: Pod, service: Service, zone?: string): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  // Never ready while terminating, unless the service publishes not-ready addresses.
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: SliceEndpoint = {
    addresses: [pod.status?.podIP ?? ""],
    conditions: { ready, serving, terminating },
  };
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name) {
    endpoint.hostname = pod.spec.hostname;
  }
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  if (zone) endpoint.zone = zone;
  endpoint.targetRef = {
    kind: "Pod",
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? "",
  };
  return endpoint;
}

/** The ports a pod serves for the service, resolved by name where the targetPort is a name. */
export function portsFor(pod: Pod, service: Service): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const p: SlicePort = {
      name: servicePort.name ?? "",
      port,
      protocol: servicePort.protocol ?? "TCP",
    };
    if (servicePort.appProtocol) p.appProtocol = servicePort.appProtocol;
    ports.push(p);
  }
  return ports.sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
}

/** The labels every slice of `service` carries: the service's, the service name and the manager. */
export function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (service.spec?.clusterIP === "None") labels[HEADLESS_LABEL] = "";
  labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? "";
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

function newSlice(service: Service, ports: SlicePort[], endpoints: SliceEndpoint[]): EndpointSlice {
  const meta = service.metadata ?? {};
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: `${meta.name}-`,
      namespace: meta.namespace ?? "",
      labels: sliceLabels(service),
      ownerReferences: [
        {
          apiVersion: "v1",
          kind: "Service",
          name: meta.name ?? "",
          uid: meta.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: "IPv4",
    endpoints,
    ports,
  };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Plans a service's EndpointSlices from its pods and its existing slices,
 * as upstream's reconciler does in spirit: endpoints stay in the slice they
 * are in (updated in place when their conditions change), new endpoints
 * fill slices with room before new slices are made, at most
 * {@link MAX_ENDPOINTS_PER_SLICE} per slice, one set of ports per slice,
 * and emptied slices are deleted. A service with no endpoints keeps one
 * empty placeholder slice, as upstream's does. IPv4 only.
 */
export function planSlices(
  service: Service,
  pods: readonly Pod[],
  existing: readonly EndpointSlice[],
  maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
  zoneOf: (nodeName: string) => string | undefined = () => undefined,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(service);
  const uid = service.metadata?.uid;

  // Desired endpoints grouped by the ports they serve.
  const desired = new Map<string, { ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }>();
  for (const pod of pods) {
    if (!serviceSelects(service, pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    if (pod.status?.podIP?.includes(":")) continue; // IPv6 pods belong in IPv6 slices
    const ports = portsFor(pod, service);
    const key = portsKey(ports);
    let group = desired.get(key);
    if (!group) {
      group = { ports, endpoints: new Map() };
      desired.set(key, group);
    }
    const endpoint = endpointFor(
      pod,
      service,
      pod.spec?.nodeName ? zoneOf(pod.spec.nodeName) : undefined,
    );
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }

  // Slices owned by another (older) service of the same name, or of another address type, go.
  const ours: EndpointSlice[] = [];
  for (const slice of [...existing].sort((a, b) =>
    (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  )) {
    const owner = slice.metadata?.ownerReferences?.find((r) => r.kind === "Service");
    if (owner?.uid !== uid || slice.addressType !== "IPv4") plan.delete.push(slice);
    else ours.push(slice);
  }

  const kept: EndpointSlice[] = [];
  for (const slice of ours) {
    const group = desired.get(portsKey(slice.ports ?? []));
    if (!group) {
      kept.push({ ...slice, endpoints: [] }); // may become the placeholder, else deleted below
      continue;
    }
    const endpoints: SliceEndpoint[] = [];
    for (const e of slice.endpoints ?? []) {
      const want = group.endpoints.get(endpointKey(e));
      if (want && endpoints.length < maxPerSlice) {
        endpoints.push(want);
        group.endpoints.delete(endpointKey(e));
      }
    }
    kept.push({ ...slice, endpoints });
  }
  // Fill slices with room, then make new ones.
  for (const [key, group] of desired) {
    const remaining = [...group.endpoints.values()].sort((a, b) =>
      endpointKey(a).localeCompare(endpointKey(b)),
    );
    for (const slice of kept) {
      if (remaining.length === 0) break;
      if (portsKey(slice.ports ?? []) !== key) continue;
      slice.endpoints.push(...remaining.splice(0, maxPerSlice - slice.endpoints.length));
    }
    while (remaining.length > 0) {
      plan.create.push(newSlice(service, group.ports, remaining.splice(0, maxPerSlice)));
    }
  }

  const nonEmpty = kept.filter((s) => s.endpoints.length > 0);
  const empty = kept.filter((s) => s.endpoints.length === 0);
  const needsPlaceholder = nonEmpty.length === 0 && plan.create.length === 0;
  if (needsPlaceholder) {
    const placeholder = empty.shift();
    if (placeholder) nonEmpty.push({ ...placeholder, ports: [], endpoints: [] });
    else plan.create.push(newSlice(service, [], []));
  }
  plan.delete.push(...empty);

  const byName = new Map(ours.map((s) => [s.metadata?.name, s]));
  for (const slice of nonEmpty) {
    const before = byName.get(slice.metadata?.name);
    const updated = { ...slice, metadata: { ...slice.metadata, labels } };
    if (
      !before ||
      !sameJson(before.endpoints ?? [], updated.endpoints) ||
      !sameJson(before.ports ?? [], updated.ports) ||
      !sameJson(before.metadata?.labels ?? {}, labels)
    ) {
      plan.update.push(updated);
    }
  }
  return plan;
}
