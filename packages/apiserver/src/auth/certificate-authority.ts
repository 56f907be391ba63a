import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

/** A PEM certificate and its PEM private key. */
export interface CertAndKey {
  cert: string;
  key: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function newKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

function serialNumber(): string {
  // A positive serial: clear the top bit of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  return serial.toString("hex");
}

// UTF8String: forge's default PrintableString may not hold ":" or "@".
const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/**
 * A new self-signed certificate authority, for signing client
 * certificates (`--client-ca-file`). The key is made by Node's crypto;
 * node-forge only writes the certificate.
 */
export function generateCertificateAuthority(
  commonName = "kubekit-client-ca",
  now: Date = new Date(),
): CertAndKey {
  const { privateKey, publicKey } = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * YEAR_MS);
  const subject = [{ name: "commonName", value: commonName, valueTagClass: utf8 }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

/** Who a client certificate names: the user (CN) and groups (O). */
export interface ClientIdentity {
  commonName: string;
  organizations?: readonly string[];
  /** Validity from `now`, in days (default 365). */
  days?: number;
}

/**
 * A client certificate for `identity`, signed by `ca`, as kubeadm writes
 * for an admin kubeconfig (CN=kubernetes-admin, O=system:masters).
 */
export function issueClientCert(
  ca: CertAndKey,
  identity: ClientIdentity,
  now: Date = new Date(),
): CertAndKey {
  const { privateKey, publicKey } = newKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + (identity.days ?? 365) * 24 * 3600 * 1000);
  cert.setSubject([
    ...(identity.organizations ?? []).map((o) => ({
      name: "organizationName",
      value: o,
      valueTagClass: utf8,
    })),
    { name: "commonName", value: identity.commonName, valueTagClass: utf8 },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}
