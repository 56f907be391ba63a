import { createCertificateAuthority, issueCertificate } from "@kubekit/pki";

/** A PEM certificate (its chain, leaf first) and its PEM private key. */
export interface KubeletServingCert {
  readonly cert: string;
  readonly key: string;
}

/**
 * A self-signed serving certificate for a kubelet, as upstream makes one
 * when given no `--tls-cert-file`: a CA named `<node>-ca@<unix time>` and a
 * certificate for the node name, localhost, 127.0.0.1 and the node's
 * addresses, sent as a chain. Clients verify it only if told to trust it.
 */
export function selfSignedKubeletCert(
  nodeName: string,
  addresses: readonly string[] = [],
  now: Date = new Date(),
): KubeletServingCert {
  const ca = createCertificateAuthority(`${nodeName}-ca@${Math.floor(now.getTime() / 1000)}`, now);
  const leaf = issueCertificate(ca, {
    commonName: `${nodeName}@${Math.floor(now.getTime() / 1000)}`,
    names: [nodeName, "localhost", "127.0.0.1", ...addresses],
    usages: ["server"],
    now,
  });
  return { cert: `${leaf.cert}${ca.cert}`, key: leaf.key };
}
