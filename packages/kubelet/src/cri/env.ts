import { divideQuantities, parseQuantity } from "@kubekit/apimachinery";
import type { Container, EnvVar, Pod, ResourceFieldSelector } from "../api/types.js";
import { effectiveRequest } from "../status/qos.js";
import { expandVariables } from "./expand.js";
import { ContainerConfigError, type ObjectLookup, type PodFacts } from "./lookup.js";

/** Env names the API accepts: printable ASCII without spaces or `=`. */
const ENV_NAME = /^[!-<>-~]+$/;

/** The result of resolving a container's environment. */
export interface ResolvedEnv {
  /** Name → value, in the order upstream applies them (envFrom, then env). */
  values: Map<string, string>;
  /** envFrom keys skipped because they are not valid env names. */
  invalidKeys: string[];
}

/**
 * A container's environment: `envFrom` sources first (ConfigMaps and
 * Secrets, keys prefixed), then `env` in order, each `value` expanded
 * against the variables defined before it; `valueFrom` reads the downward
 * API (fieldRef, resourceFieldRef) or the lookup. Throws
 * {@link ContainerConfigError} for a missing, non-optional source.
 */
export function resolveEnv(
  pod: Pod,
  container: Container,
  lookup: ObjectLookup,
  facts: PodFacts,
): ResolvedEnv {
  const namespace = pod.metadata.namespace ?? "default";
  const values = new Map<string, string>();
  const invalidKeys: string[] = [];
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    const data = envFromData(namespace, source, lookup);
    for (const [key, value] of Object.entries(data)) {
      const name = `${prefix}${key}`;
      if (!ENV_NAME.test(name)) {
        invalidKeys.push(name);
        continue;
      }
      values.set(name, value);
    }
  }
  for (const env of container.env ?? []) {
    const value = envValue(pod, container, env, values, lookup, facts);
    if (value !== undefined) values.set(env.name, value);
  }
  return { values, invalidKeys: invalidKeys.sort() };
}

function envFromData(
  namespace: string,
  source: NonNullable<Container["envFrom"]>[number],
  lookup: ObjectLookup,
): Record<string, string> {
  if (source.configMapRef) {
    const data = lookup.configMap(namespace, source.configMapRef.name);
    if (data) return data;
    if (source.configMapRef.optional) return {};
    throw new ContainerConfigError(`configmap "${source.configMapRef.name}" not found`);
  }
  if (source.secretRef) {
    const data = lookup.secret(namespace, source.secretRef.name);
    if (data) return decodeAll(data);
    if (source.secretRef.optional) return {};
    throw new ContainerConfigError(`secret "${source.secretRef.name}" not found`);
  }
  return {};
}

function decodeAll(data: Record<string, Uint8Array>): Record<string, string> {
  const decoder = new TextDecoder();
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decoder.decode(v)]));
}

function envValue(
  pod: Pod,
  container: Container,
  env: EnvVar,
  defined: Map<string, string>,
  lookup: ObjectLookup,
  facts: PodFacts,
): string | undefined {
  const namespace = pod.metadata.namespace ?? "default";
  if (env.value !== undefined && env.value !== "") {
    return expandVariables(env.value, (name) => defined.get(name));
  }
  const from = env.valueFrom;
  if (!from) return "";
  if (from.fieldRef) return fieldPathValue(pod, from.fieldRef.fieldPath, facts);
  if (from.resourceFieldRef) {
    return resourceFieldValue(pod, container, from.resourceFieldRef, facts);
  }
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const data = lookup.configMap(namespace, ref.name);
    if (!data) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`configmap "${ref.name}" not found`);
    }
    const value = data[ref.key];
    if (value === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(
        `couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`,
      );
    }
    return value;
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const data = lookup.secret(namespace, ref.name);
    if (!data) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`secret "${ref.name}" not found`);
    }
    const value = data[ref.key];
    if (value === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(
        `couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`,
      );
    }
    return new TextDecoder().decode(value);
  }
  return "";
}

const SUBSCRIPTED_PATH = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** The downward API's value for a field path of the pod. */
export function fieldPathValue(pod: Pod, fieldPath: string, facts: PodFacts): string {
  const subscripted = SUBSCRIPTED_PATH.exec(fieldPath);
  if (subscripted) {
    const [, map = "", key = ""] = subscripted;
    const values = map === "labels" ? pod.metadata.labels : pod.metadata.annotations;
    return values?.[key] ?? "";
  }
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace ?? "default";
    case "metadata.uid":
      return pod.metadata.uid;
    case "spec.nodeName":
      return pod.spec.nodeName ?? facts.nodeName;
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.hostIP":
      return facts.hostIPs[0] ?? "";
    case "status.hostIPs":
      return facts.hostIPs.join(",");
    case "status.podIP":
      return facts.podIPs[0] ?? "";
    case "status.podIPs":
      return facts.podIPs.join(",");
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

/**
 * A container's request or limit divided by the divisor, rounded up; a
 * missing limit reads as the node's allocatable, as upstream does.
 */
export function resourceFieldValue(
  pod: Pod,
  container: Container,
  selector: ResourceFieldSelector,
  facts: PodFacts,
): string {
  const target = selector.containerName
    ? [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(
        (c) => c.name === selector.containerName,
      )
    : container;
  if (!target) {
    throw new ContainerConfigError(`container "${selector.containerName}" not found in pod`);
  }
  const [kind, resource = ""] = selector.resource.split(/\.(.*)/s);
  let quantity: string | number | undefined;
  if (kind === "limits") {
    quantity = target.resources?.limits?.[resource] ?? facts.allocatable[resource];
  } else if (kind === "requests") {
    quantity = effectiveRequest(target, resource) ?? 0;
  } else {
    throw new ContainerConfigError(`unsupported resource: ${selector.resource}`);
  }
  if (quantity === undefined) {
    throw new ContainerConfigError(`no allocatable ${resource} known to fill ${selector.resource}`);
  }
  return divideQuantities(parseQuantity(quantity), parseQuantity(selector.divisor ?? 1)).toString();
}
