import { type CertKeyPair, createCertificateAuthority, issueCertificate } from "@kubekit/pki";

/** A PEM certificate and its PEM private key. */
export type TestCert = CertKeyPair;

/** A test certificate authority and helpers that issue certificates it signs. */
export interface TestPki {
  /** The CA: `ca.cert` is what a peer trusts (`--client-ca-file`, `certificate-authority`). */
  readonly ca: TestCert;
  /** A serving certificate for localhost, 127.0.0.1 and `names`. */
  server(commonName: string, names?: readonly string[]): TestCert;
  /** A client certificate: CN is the user, `groups` its O values. */
  client(commonName: string, groups?: readonly string[]): TestCert;
}

/**
 * A fresh CA for one test file, with serving and client certificates
 * signed by it, as a cluster's kubeadm PKI would hold them. Keys are RSA
 * 2048 from Node's crypto; the X.509 work is `@kubekit/pki`'s.
 */
export function createTestPki(caName = "kubekit-test-ca"): TestPki {
  const ca = createCertificateAuthority(caName);
  return {
    ca,
    server: (commonName, names = []) =>
      issueCertificate(ca, {
        commonName,
        names: ["localhost", "127.0.0.1", ...names],
        usages: ["server"],
      }),
    client: (commonName, groups = []) =>
      issueCertificate(ca, { commonName, organizations: groups, usages: ["client"] }),
  };
}
