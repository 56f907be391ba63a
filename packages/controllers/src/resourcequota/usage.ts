import {
  addQuantities,
  compareQuantities,
  formatQuantity,
  type Quantity,
  sumQuantities,
  tryParseQuantity,
} from "@kubekit/apimachinery";
import type { KubeObject } from "@kubekit/client";
import type { Container, Pod } from "../common/types.js";

/** core/v1 ResourceQuota. */
export interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** The objects of one namespace that quota counts. */
export interface NamespaceObjects {
  pods: readonly Pod[];
  services: readonly KubeObject[];
  configMaps: readonly KubeObject[];
  secrets: readonly KubeObject[];
  persistentVolumeClaims: readonly KubeObject[];
  /** Counts of other resources, by `count/<resource>[.<group>]` name. */
  otherCounts: ReadonlyMap<string, number>;
}

const q = (text: string | undefined): Quantity | undefined =>
  text === undefined ? undefined : tryParseQuantity(text);

/** A container list's requests or limits of one resource, summed. */
function sumOf(
  containers: readonly Container[],
  kind: "requests" | "limits",
  resource: string,
): Quantity[] {
  return containers
    .map((c) => q(c.resources?.[kind]?.[resource]))
    .filter((x): x is Quantity => x !== undefined);
}

/**
 * A pod's effective request (or limit) of `resource`, as upstream's
 * PodRequests: the larger of the containers' sum and the largest init
 * container, plus the pod overhead.
 */
export function podResource(
  pod: Pod,
  kind: "requests" | "limits",
  resource: string,
): Quantity | undefined {
  const containers = sumOf(pod.spec?.containers ?? [], kind, resource);
  const inits = sumOf(pod.spec?.initContainers ?? [], kind, resource);
  if (containers.length === 0 && inits.length === 0) return undefined;
  let total = sumQuantities(containers);
  for (const init of inits) if (compareQuantities(init, total) > 0) total = init;
  const overhead = q((pod.spec?.overhead as Record<string, string> | undefined)?.[resource]);
  return overhead ? addQuantities(total, overhead) : total;
}

/** Whether quota counts the pod: not finished, and not past its deletion grace period. */
export function podCountsForQuota(pod: Pod, now: number): boolean {
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return false;
  const deletion = pod.metadata?.deletionTimestamp;
  return !(deletion && Date.parse(deletion) <= now);
}

const isBestEffort = (pod: Pod): boolean =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every(
    (c) =>
      Object.keys(c.resources?.requests ?? {}).length +
        Object.keys(c.resources?.limits ?? {}).length ===
      0,
  );

/** Whether a pod is in every one of the quota's scopes (Terminating, NotTerminating, BestEffort, NotBestEffort). */
export function podMatchesScopes(pod: Pod, scopes: readonly string[]): boolean {
  return scopes.every((scope) => {
    switch (scope) {
      case "Terminating":
        return pod.spec?.activeDeadlineSeconds !== undefined;
      case "NotTerminating":
        return pod.spec?.activeDeadlineSeconds === undefined;
      case "BestEffort":
        return isBestEffort(pod);
      case "NotBestEffort":
        return !isBestEffort(pod);
      default:
        return true; // scopes we do not know (PriorityClass, CrossNamespacePodAffinity) do not narrow
    }
  });
}

// Resources a scoped quota may track (upstream: only pod resources when scopes are set).
const POD_RESOURCES = /^(pods|count\/pods|(requests\.|limits\.)?(cpu|memory|ephemeral-storage))$/;

/**
 * `status.used` of a quota: one entry per resource in `spec.hard` that we
 * know how to measure, as upstream's evaluators do for pods, services,
 * configmaps, secrets, persistentvolumeclaims and `count/<resource>`.
 */
export function computeUsed(
  quota: ResourceQuota,
  objects: NamespaceObjects,
  now: number,
): Record<string, string> {
  const hard = quota.spec?.hard ?? {};
  const scopes = quota.spec?.scopes ?? [];
  const pods = objects.pods.filter((p) => podCountsForQuota(p, now) && podMatchesScopes(p, scopes));
  const services = objects.services;
  const serviceType = (s: KubeObject) =>
    (s.spec as { type?: string } | undefined)?.type ?? "ClusterIP";
  const nodePorts = (s: KubeObject) =>
    serviceType(s) === "NodePort" || serviceType(s) === "LoadBalancer"
      ? ((s.spec as { ports?: unknown[] } | undefined)?.ports?.length ?? 0)
      : 0;
  const used: Record<string, string> = {};
  const sumPods = (kind: "requests" | "limits", resource: string): string => {
    const parts = pods
      .map((p) => podResource(p, kind, resource))
      .filter((x): x is Quantity => x !== undefined);
    return formatQuantity(sumQuantities(parts));
  };
  for (const resource of Object.keys(hard).sort()) {
    if (scopes.length > 0 && !POD_RESOURCES.test(resource)) continue;
    switch (resource) {
      case "pods":
      case "count/pods":
        used[resource] = String(pods.length);
        break;
      case "cpu":
      case "memory":
      case "ephemeral-storage":
        used[resource] = sumPods("requests", resource);
        break;
      case "requests.cpu":
      case "requests.memory":
      case "requests.ephemeral-storage":
        used[resource] = sumPods("requests", resource.slice("requests.".length));
        break;
      case "limits.cpu":
      case "limits.memory":
      case "limits.ephemeral-storage":
        used[resource] = sumPods("limits", resource.slice("limits.".length));
        break;
      case "services":
      case "count/services":
        used[resource] = String(services.length);
        break;
      case "services.loadbalancers":
        used[resource] = String(services.filter((s) => serviceType(s) === "LoadBalancer").length);
        break;
      case "services.nodeports":
        used[resource] = String(services.reduce((n, s) => n + nodePorts(s), 0));
        break;
      case "configmaps":
      case "count/configmaps":
        used[resource] = String(objects.configMaps.length);
        break;
      case "secrets":
      case "count/secrets":
        used[resource] = String(objects.secrets.length);
        break;
      case "persistentvolumeclaims":
      case "count/persistentvolumeclaims":
        used[resource] = String(objects.persistentVolumeClaims.length);
        break;
      case "requests.storage": {
        const parts = objects.persistentVolumeClaims
          .map((c) =>
            q(
              (c.spec as { resources?: { requests?: Record<string, string> } } | undefined)
                ?.resources?.requests?.storage,
            ),
          )
          .filter((x): x is Quantity => x !== undefined);
        used[resource] = formatQuantity(sumQuantities(parts));
        break;
      }
      default: {
        const count = objects.otherCounts.get(resource);
        if (count !== undefined) used[resource] = String(count);
      }
    }
  }
  return used;
}
