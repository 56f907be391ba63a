import { create } from "@bufbuild/protobuf";
import {
  NamespaceMode,
  type PodSandboxConfig,
  PodSandboxConfigSchema,
  Protocol,
} from "@kubekit/proto/cri";
import type { ContainerPort, Pod } from "../api/types.js";
import { type DnsSettings, podDnsConfig } from "./dns.js";
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from "./labels.js";

/** Where pod logs go unless configured otherwise. */
export const DEFAULT_POD_LOGS_ROOT = "/var/log/pods";

/** Longest hostname the kernel takes. */
const MAX_HOSTNAME = 63;

/** Kubelet settings the sandbox translation reads. */
export interface SandboxOptions {
  /** Root of pod log directories; {@link DEFAULT_POD_LOGS_ROOT} by default. */
  podLogsRoot?: string;
  /** Resolver settings. */
  dns: DnsSettings;
  /** The pod's cgroup, computed by the caller's cgroup layout. */
  cgroupParent: string;
}

/** `<root>/<namespace>_<name>_<uid>`: the pod's log directory. */
export function podLogDirectory(pod: Pod, root = DEFAULT_POD_LOGS_ROOT): string {
  const { namespace = "default", name, uid } = pod.metadata;
  return `${root}/${namespace}_${name}_${uid}`;
}

/**
 * The pod's hostname: `spec.hostname` or the pod name, cut to 63 characters
 * without a trailing `-` or `.`; with `setHostnameAsFQDN` and a subdomain,
 * the fully qualified name. Host-network pods get none: they share the
 * node's UTS namespace, and the runtime refuses a hostname for them.
 */
export function podHostname(pod: Pod, clusterDomain: string): string {
  if (pod.spec.hostNetwork) return "";
  let hostname = (pod.spec.hostname || pod.metadata.name).slice(0, MAX_HOSTNAME);
  hostname = hostname.replace(/[-.]+$/, "");
  if (pod.spec.subdomain && pod.spec.setHostnameAsFQDN) {
    const namespace = pod.metadata.namespace ?? "default";
    hostname = `${hostname}.${pod.spec.subdomain}.${namespace}.svc.${clusterDomain}`;
  }
  return hostname;
}

function protocolOf(port: ContainerPort): Protocol {
  if (port.protocol === "UDP") return Protocol.UDP;
  if (port.protocol === "SCTP") return Protocol.SCTP;
  return Protocol.TCP;
}

/** Labels of the sandbox: the pod's own plus name, namespace and uid. */
export function sandboxLabels(pod: Pod): Record<string, string> {
  return {
    ...(pod.metadata.labels ?? {}),
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_NAMESPACE_LABEL]: pod.metadata.namespace ?? "default",
    [POD_UID_LABEL]: pod.metadata.uid,
  };
}

/** The CRI namespace modes a pod's spec asks for. */
export function podNamespaceOptions(pod: Pod) {
  return {
    network: pod.spec.hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
    pid: pod.spec.hostPID
      ? NamespaceMode.NODE
      : pod.spec.shareProcessNamespace
        ? NamespaceMode.POD
        : NamespaceMode.CONTAINER,
    ipc: pod.spec.hostIPC ? NamespaceMode.NODE : NamespaceMode.POD,
  };
}

/**
 * Translates a pod into the CRI sandbox config for its `attempt`-th sandbox:
 * metadata, hostname, log directory, DNS, every container port, labels and
 * annotations, and the Linux cgroup parent, namespaces and pod security
 * context.
 */
export function podSandboxConfig(
  pod: Pod,
  attempt: number,
  options: SandboxOptions,
): PodSandboxConfig {
  const security = pod.spec.securityContext ?? {};
  const supplementalGroups = [
    ...(security.supplementalGroups ?? []),
    ...(security.fsGroup === undefined ? [] : [security.fsGroup]),
  ].map(BigInt);
  const portMappings = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap(
    (container) =>
      (container.ports ?? []).map((port) => ({
        protocol: protocolOf(port),
        containerPort: port.containerPort,
        hostPort: port.hostPort ?? 0,
        hostIp: port.hostIP ?? "",
      })),
  );
  return create(PodSandboxConfigSchema, {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace ?? "default",
      uid: pod.metadata.uid,
      attempt,
    },
    hostname: podHostname(pod, options.dns.clusterDomain),
    logDirectory: podLogDirectory(pod, options.podLogsRoot),
    dnsConfig: podDnsConfig(pod, options.dns),
    portMappings,
    labels: sandboxLabels(pod),
    annotations: { ...(pod.metadata.annotations ?? {}) },
    linux: {
      cgroupParent: options.cgroupParent,
      sysctls: Object.fromEntries((security.sysctls ?? []).map((s) => [s.name, s.value])),
      securityContext: {
        namespaceOptions: podNamespaceOptions(pod),
        ...(security.runAsUser === undefined
          ? {}
          : { runAsUser: { value: BigInt(security.runAsUser) } }),
        ...(security.runAsGroup === undefined
          ? {}
          : { runAsGroup: { value: BigInt(security.runAsGroup) } }),
        supplementalGroups,
      },
    },
  });
}
