import { hostname } from "node:os";
import { CertificateDirectory, type CertKeyPair } from "@kubekit/pki";

/** Every certificate a single-node cluster needs, as kubeadm names their roles. */
export interface ClusterPki {
  readonly ca: CertKeyPair;
  /** The apiserver's serving certificate. */
  readonly apiserver: CertKeyPair;
  /** The cluster admin (O=system:masters), for the kubeconfig `kubekit up` prints. */
  readonly admin: CertKeyPair;
  readonly scheduler: CertKeyPair;
  readonly controllerManager: CertKeyPair;
  /** The kubelet's client identity (`system:node:<node>` in `system:nodes`). */
  readonly kubeletClient: CertKeyPair;
  /** The kubelet's serving certificate for its :10250 API. */
  readonly kubeletServing: CertKeyPair;
  /** How the apiserver authenticates to kubelets (logs, exec). */
  readonly apiserverKubeletClient: CertKeyPair;
}

/** Names that must be in the certificates. */
export interface ClusterPkiNames {
  readonly nodeName: string;
  /** The node's addresses (the apiserver and kubelet serve on them). */
  readonly nodeIps: readonly string[];
  /** The first IP of the service range: the `kubernetes` service's ClusterIP. */
  readonly kubernetesServiceIp: string;
  readonly clusterDomain?: string;
}

/**
 * Reads or creates the cluster's certificates under `dir`. Reused on every
 * start, so kubeconfigs written before stay valid; a serving certificate
 * is reissued only if the node's names changed.
 */
export async function ensureClusterPki(dir: string, names: ClusterPkiNames): Promise<ClusterPki> {
  const pki = new CertificateDirectory(dir);
  const domain = names.clusterDomain ?? "cluster.local";
  const hostNames = [...new Set(["localhost", hostname(), names.nodeName])];
  const ips = [...new Set(["127.0.0.1", ...names.nodeIps])];
  const client = (commonName: string, organizations: string[] = []) => ({
    commonName,
    organizations,
    usages: ["client" as const],
  });
  return {
    ca: await pki.ca("kubekit-ca"),
    apiserver: await pki.certificate("apiserver", {
      commonName: "kube-apiserver",
      names: [
        ...hostNames,
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        `kubernetes.default.svc.${domain}`,
        ...ips,
        names.kubernetesServiceIp,
      ],
      usages: ["server"],
    }),
    admin: await pki.certificate("admin", client("kubekit-admin", ["system:masters"])),
    scheduler: await pki.certificate("scheduler", client("system:kube-scheduler")),
    controllerManager: await pki.certificate(
      "controller-manager",
      client("system:kube-controller-manager"),
    ),
    kubeletClient: await pki.certificate(
      "kubelet-client",
      client(`system:node:${names.nodeName}`, ["system:nodes"]),
    ),
    kubeletServing: await pki.certificate("kubelet", {
      commonName: names.nodeName,
      names: [...hostNames, ...ips],
      usages: ["server"],
    }),
    apiserverKubeletClient: await pki.certificate(
      "apiserver-kubelet-client",
      client("kube-apiserver-kubelet-client", ["system:masters"]),
    ),
  };
}
