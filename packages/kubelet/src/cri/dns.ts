import { create } from "@bufbuild/protobuf";
import { type DNSConfig, DNSConfigSchema } from "@kubekit/proto/cri";
import type { Pod } from "../api/types.js";

/** The resolver settings the kubelet was configured with. */
export interface DnsSettings {
  /** Cluster DNS servers (`--cluster-dns`); empty means there is no cluster DNS. */
  clusterDNS: string[];
  /** The cluster domain (`--cluster-domain`), e.g. `cluster.local`. */
  clusterDomain: string;
  /** The node's own resolver (what `--resolv-conf` names), for `Default` pods. */
  host: { servers: string[]; searches: string[]; options: string[] };
}

/** DNS settings for a node with no cluster DNS: pods resolve as the host does. */
export const HOST_ONLY_DNS: DnsSettings = {
  clusterDNS: [],
  clusterDomain: "cluster.local",
  host: { servers: [], searches: [], options: [] },
};

/**
 * A pod's resolver config. ClusterFirst pods (not on the host network) and
 * ClusterFirstWithHostNet pods get the cluster DNS, the namespace's search
 * path and `ndots:5`; Default pods, and cluster pods when no cluster DNS is
 * configured, get the host's; None pods get nothing. `spec.dnsConfig` is
 * then merged in: servers and searches appended without duplicates, options
 * overriding by name.
 */
export function podDnsConfig(pod: Pod, settings: DnsSettings): DNSConfig {
  const policy = pod.spec.dnsPolicy ?? "ClusterFirst";
  const wantsCluster =
    policy === "ClusterFirstWithHostNet" || (policy === "ClusterFirst" && !pod.spec.hostNetwork);
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy !== "None") {
    if (wantsCluster && settings.clusterDNS.length > 0) {
      const namespace = pod.metadata.namespace ?? "default";
      const domain = settings.clusterDomain;
      servers = [...settings.clusterDNS];
      searches = [`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...settings.host.searches];
      options = ["ndots:5"];
    } else {
      servers = [...settings.host.servers];
      searches = [...settings.host.searches];
      options = [...settings.host.options];
    }
  }
  const extra = pod.spec.dnsConfig;
  if (extra) {
    servers = unique([...servers, ...(extra.nameservers ?? [])]);
    searches = unique([...searches, ...(extra.searches ?? [])]);
    options = mergeOptions(options, extra.options ?? []);
  }
  return create(DNSConfigSchema, { servers, searches, options });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const option of base) byName.set(option.split(":")[0] ?? option, option);
  for (const option of extra) {
    byName.set(
      option.name,
      option.value === undefined ? option.name : `${option.name}:${option.value}`,
    );
  }
  return [...byName.values()];
}
