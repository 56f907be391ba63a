import type { KubeObject, Lister, ResourceEventHandler } from "@kubekit/client";
import { keyOf } from "./keys.js";
import { unwrapTombstone } from "./tombstone.js";
import type { Pod } from "./types.js";

/** core/v1 ServicePort. */
export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
  /** A container port number, or the name of a container port. */
  targetPort?: number | string;
}

/** The slice of core/v1 Service the endpoint controllers read. */
export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: ServicePort[];
    clusterIP?: string;
    type?: string;
    publishNotReadyAddresses?: boolean;
    [field: string]: unknown;
  };
}

/** True when the service selects pods (endpoints of selector-less services are left to users). */
export function hasSelector(service: Service): boolean {
  return (
    Object.keys(service.spec?.selector ?? {}).length > 0 && service.spec?.type !== "ExternalName"
  );
}

/** True when `pod` carries every label of the service's selector. */
export function serviceSelects(service: Service, pod: Pod): boolean {
  const selector = service.spec?.selector ?? {};
  const labels = pod.metadata?.labels ?? {};
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/**
 * The container port a service port reaches on `pod` (upstream's
 * FindPort): a numeric targetPort is used as is (the service's port when
 * unset), a named one is looked up among the pod's container ports with the
 * same protocol. Undefined when the name is not found.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? "TCP";
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? "TCP") === protocol) {
        return port.containerPort;
      }
    }
  }
  return undefined;
}

/**
 * Whether a pod belongs in a service's endpoints at all (upstream's
 * ShouldPodBeInEndpoints): it has an IP, has not finished, and is not
 * being deleted unless `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/**
 * Informer handlers for pods that enqueue every service selecting the pod,
 * before and after a change (a pod whose labels changed may leave one
 * service for another), as upstream's endpoint controllers do.
 */
export function enqueueSelectingServices(
  services: Lister<Service>,
  enqueue: (key: string) => void,
): ResourceEventHandler<Pod> {
  const enqueueServicesOf = (pod: Pod): void => {
    for (const service of services.namespace(pod.metadata?.namespace ?? "").list()) {
      if (serviceSelects(service, pod)) enqueue(keyOf(service));
    }
  };
  return {
    onAdd: (p) => enqueueServicesOf(p),
    onUpdate: (o, p) => {
      enqueueServicesOf(o);
      enqueueServicesOf(p);
    },
    onDelete: (p) => enqueueServicesOf(unwrapTombstone(p)),
  };
}
