import { create } from "@bufbuild/protobuf";
import { type ContainerConfig, ContainerConfigSchema, type Mount } from "@kubekit/proto/cri";
import type { Container, Pod } from "../api/types.js";
import { resolveEnv } from "./env.js";
import { expandVariables } from "./expand.js";
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_NAME_LABEL,
  CONTAINER_PORTS_ANNOTATION,
  CONTAINER_RESTART_COUNT_ANNOTATION,
  INIT_CONTAINER_ANNOTATION,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
  PRE_STOP_HANDLER_ANNOTATION,
  TERMINATION_GRACE_PERIOD_ANNOTATION,
  TERMINATION_MESSAGE_PATH_ANNOTATION,
  TERMINATION_MESSAGE_POLICY_ANNOTATION,
} from "./labels.js";
import type { ObjectLookup, PodFacts } from "./lookup.js";
import { linuxContainerResources, type ResourceContext } from "./resources.js";
import { podNamespaceOptions } from "./sandbox-config.js";

/** Where a container writes its termination message unless it says otherwise. */
export const DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
/** Grace period when the pod names none. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** Everything besides the spec that goes into one container's config. */
export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  /** Restarts so far: the CRI attempt number and the log file's name. */
  restartCount: number;
  /** The image to run, as the image service resolved it. */
  image: string;
  /** Volume mounts, already resolved to host paths. */
  mounts: Mount[];
  /** Whether this is one of `spec.initContainers`. */
  init: boolean;
  lookup: ObjectLookup;
  facts: PodFacts;
  resources: ResourceContext;
}

/** JSON with object keys sorted, so equal specs serialize equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable hash of a container's spec (FNV-1a over its canonical JSON,
 * `resources` left out as upstream leaves them out so a resize is no
 * restart), recorded on the container so a changed spec is noticed.
 */
export function containerHash(container: Container): string {
  const { resources: _resources, ...rest } = container;
  let hash = 0x811c9dc5;
  for (const char of canonicalJson(rest)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** `<container>/<restartCount>.log`, relative to the pod's log directory. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return `${containerName}/${restartCount}.log`;
}

/** Labels of a container: the pod's identity and the container's name. */
export function containerLabels(pod: Pod, container: Container): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_NAMESPACE_LABEL]: pod.metadata.namespace ?? "default",
    [POD_UID_LABEL]: pod.metadata.uid,
    [CONTAINER_NAME_LABEL]: container.name,
  };
}

/** Annotations the kubelet reads back after a restart: hash, restart count, hooks, ports. */
export function containerAnnotations(
  pod: Pod,
  container: Container,
  restartCount: number,
  init: boolean,
): Record<string, string> {
  const annotations: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: containerHash(container),
    [CONTAINER_RESTART_COUNT_ANNOTATION]: String(restartCount),
    [TERMINATION_MESSAGE_PATH_ANNOTATION]:
      container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH,
    [TERMINATION_MESSAGE_POLICY_ANNOTATION]: container.terminationMessagePolicy ?? "File",
    [TERMINATION_GRACE_PERIOD_ANNOTATION]: String(
      pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
    ),
  };
  if (container.lifecycle?.preStop) {
    annotations[PRE_STOP_HANDLER_ANNOTATION] = JSON.stringify(container.lifecycle.preStop);
  }
  if (container.ports?.length) {
    annotations[CONTAINER_PORTS_ANNOTATION] = JSON.stringify(container.ports);
  }
  if (init) annotations[INIT_CONTAINER_ANNOTATION] = "true";
  return annotations;
}

/**
 * Translates one container of a pod into its CRI config: image,
 * command and args with `$(VAR)` expanded against the resolved env, env,
 * working dir, mounts, labels, annotations, log path, and Linux resources
 * and security context. Throws `ContainerConfigError` when env can't be
 * resolved.
 */
export function containerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container, restartCount } = input;
  const env = resolveEnv(pod, container, input.lookup, input.facts).values;
  const expand = (text: string) => expandVariables(text, (name) => env.get(name));
  const encoder = new TextEncoder();
  const security = container.securityContext ?? {};
  const podSecurity = pod.spec.securityContext ?? {};
  const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
  const runAsGroup = security.runAsGroup ?? podSecurity.runAsGroup;
  return create(ContainerConfigSchema, {
    metadata: { name: container.name, attempt: restartCount },
    image: { image: input.image, userSpecifiedImage: container.image },
    command: (container.command ?? []).map(expand),
    args: (container.args ?? []).map(expand),
    workingDir: container.workingDir ?? "",
    envs: [...env].map(([key, value]) => ({ key, value: encoder.encode(value) })),
    mounts: input.mounts,
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, restartCount, input.init),
    logPath: containerLogPath(container.name, restartCount),
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    tty: container.tty ?? false,
    linux: {
      resources: linuxContainerResources(container, input.resources),
      securityContext: {
        namespaceOptions: podNamespaceOptions(pod),
        privileged: security.privileged ?? false,
        readonlyRootfs: security.readOnlyRootFilesystem ?? false,
        noNewPrivs: security.allowPrivilegeEscalation === false,
        capabilities: {
          addCapabilities: security.capabilities?.add ?? [],
          dropCapabilities: security.capabilities?.drop ?? [],
        },
        ...(runAsUser === undefined ? {} : { runAsUser: { value: BigInt(runAsUser) } }),
        ...(runAsGroup === undefined ? {} : { runAsGroup: { value: BigInt(runAsGroup) } }),
        supplementalGroups: [
          ...(podSecurity.supplementalGroups ?? []),
          ...(podSecurity.fsGroup === undefined ? [] : [podSecurity.fsGroup]),
        ].map(BigInt),
      },
    },
  });
}
