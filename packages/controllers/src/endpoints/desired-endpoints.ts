import { isPodReady } from "../common/pod-status.js";
import {
  findPort,
  type Service,
  serviceSelects,
  shouldPodBeInEndpoints,
} from "../common/service.js";
import type { Pod } from "../common/types.js";

/** core/v1 EndpointAddress. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: "Pod"; namespace: string; name: string; uid: string };
}

/** core/v1 EndpointPort. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** core/v1 EndpointSubset. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** The label marking the Endpoints of a headless service (as upstream sets it). */
export const HEADLESS_LABEL = "service.kubernetes.io/headless";

function addressFor(pod: Pod, service: Service): EndpointAddress {
  const meta = pod.metadata ?? {};
  const address: EndpointAddress = { ip: pod.status?.podIP ?? "" };
  // A pod is addressable by hostname only under the service named by its subdomain.
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name) {
    address.hostname = pod.spec.hostname;
  }
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  address.targetRef = {
    kind: "Pod",
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    uid: meta.uid ?? "",
  };
  return address;
}

const portsKey = (ports: EndpointPort[]): string =>
  JSON.stringify(
    [...ports].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.port - b.port),
  );

/**
 * The subsets of a service's Endpoints given the pods of its namespace, as
 * upstream's endpoints controller computes them: one address per selected
 * pod with an IP, ready or not-ready by the pod's Ready condition (all
 * ready with publishNotReadyAddresses), ports resolved per pod, and pods
 * with the same resolved ports packed into one subset. Sorted, so equal
 * inputs give equal output.
 */
export function desiredSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const headless = service.spec?.clusterIP === "None";
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();

  const add = (ports: EndpointPort[], address: EndpointAddress, ready: boolean): void => {
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, ready: [], notReady: [] };
      groups.set(key, group);
    }
    (ready ? group.ready : group.notReady).push(address);
  };

  for (const pod of pods) {
    if (!serviceSelects(service, pod)) continue;
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = addressFor(pod, service);
    const ready = publishNotReady || isPodReady(pod);
    // A not-ready pod that is being deleted is dropped rather than listed as not ready.
    if (!ready && pod.metadata?.deletionTimestamp) continue;
    if (servicePorts.length === 0) {
      // Headless services without ports still publish addresses, with no ports.
      if (headless) add([], address, ready);
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      const endpointPort: EndpointPort = { port, protocol: servicePort.protocol ?? "TCP" };
      if (servicePort.name) endpointPort.name = servicePort.name;
      if (servicePort.appProtocol) endpointPort.appProtocol = servicePort.appProtocol;
      add([endpointPort], address, ready);
    }
  }

  // Repack: addresses that ended up with the same set of ports share a subset.
  const byAddressSet = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  const addressesKey = (g: { ready: EndpointAddress[]; notReady: EndpointAddress[] }): string =>
    JSON.stringify([
      g.ready.map((a) => a.targetRef?.uid ?? a.ip).sort(),
      g.notReady.map((a) => a.targetRef?.uid ?? a.ip).sort(),
    ]);
  for (const group of groups.values()) {
    const key = addressesKey(group);
    const existing = byAddressSet.get(key);
    if (existing) existing.ports.push(...group.ports);
    else byAddressSet.set(key, { ...group, ports: [...group.ports] });
  }

  const byIp = (a: EndpointAddress, b: EndpointAddress): number =>
    a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? "").localeCompare(b.targetRef?.name ?? "");
  const subsets: EndpointSubset[] = [];
  for (const group of byAddressSet.values()) {
    const subset: EndpointSubset = {};
    if (group.ready.length > 0) subset.addresses = [...group.ready].sort(byIp);
    if (group.notReady.length > 0) subset.notReadyAddresses = [...group.notReady].sort(byIp);
    if (group.ports.length > 0) {
      subset.ports = [...group.ports].sort(
        (a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.port - b.port,
      );
    }
    subsets.push(subset);
  }
  return subsets.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The labels of a service's Endpoints: the service's own, plus the headless marker. */
export function desiredEndpointsLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (service.spec?.clusterIP === "None") labels[HEADLESS_LABEL] = "";
  else delete labels[HEADLESS_LABEL];
  return labels;
}
