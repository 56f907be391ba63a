import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface CertKeyPair {
  readonly cert: string;
  readonly key: string;
}

/** What a certificate may be used for: TLS serving, TLS client auth, or both. */
export type CertUsage = "server" | "client";

/** The subject and names of a certificate to issue. */
export interface CertificateRequest {
  /** Subject CN: for a client certificate, the user name the apiserver sees. */
  readonly commonName: string;
  /** Subject O values: for a client certificate, the user's groups. */
  readonly organizations?: readonly string[];
  /** DNS names and IP addresses (subjectAltName), for serving certificates. */
  readonly names?: readonly string[];
  readonly usages: readonly CertUsage[];
  /** Validity in days (default 365, as kubeadm's leaf certificates). */
  readonly validityDays?: number;
  /** The clock (tests). */
  readonly now?: Date;
}

const DAY_MS = 24 * 3600 * 1000;
/** kubeadm's CA lifetime. */
const CA_VALIDITY_DAYS = 3650;

/** UTF8String: forge's default PrintableString cannot hold ":" or "@". */
const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

function newKeyPair(): { privateKey: string; publicKey: string } {
  // Node's native RSA key generation: node-forge's is JavaScript and slow.
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

function newCertificate(publicKey: string, validityDays: number, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: clear the top bit of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString("hex");
  // Backdated a little, so a peer whose clock lags still accepts it.
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + validityDays * DAY_MS);
  return cert;
}

function subject(commonName: string, organizations: readonly string[] = []) {
  return [
    ...organizations.map((value) => ({ name: "organizationName", value, valueTagClass: utf8 })),
    { name: "commonName", value: commonName, valueTagClass: utf8 },
  ];
}

function sign(cert: forge.pki.Certificate, privateKeyPem: string): string {
  cert.sign(
    forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return forge.pki.certificateToPem(cert);
}

/** A new self-signed certificate authority (CN `commonName`), valid ten years. */
export function createCertificateAuthority(
  commonName: string,
  now: Date = new Date(),
): CertKeyPair {
  const { privateKey, publicKey } = newKeyPair();
  const cert = newCertificate(publicKey, CA_VALIDITY_DAYS, now);
  cert.setSubject(subject(commonName));
  cert.setIssuer(subject(commonName));
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    {
      name: "keyUsage",
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: true,
      critical: true,
    },
    { name: "subjectKeyIdentifier" },
  ]);
  return { cert: sign(cert, privateKey), key: privateKey };
}

/** A certificate signed by `ca` for the request's subject, names and usages. */
export function issueCertificate(ca: CertKeyPair, request: CertificateRequest): CertKeyPair {
  if (request.usages.length === 0) throw new Error("a certificate needs at least one usage");
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const { privateKey, publicKey } = newKeyPair();
  const cert = newCertificate(publicKey, request.validityDays ?? 365, request.now ?? new Date());
  cert.setSubject(subject(request.commonName, request.organizations));
  cert.setIssuer(caCert.subject.attributes);
  const names = [...new Set(request.names ?? [])];
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    {
      name: "extKeyUsage",
      serverAuth: request.usages.includes("server"),
      clientAuth: request.usages.includes("client"),
    },
    ...(names.length === 0
      ? []
      : [
          {
            name: "subjectAltName",
            // 2 = dNSName, 7 = iPAddress in the GeneralName CHOICE.
            altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
          },
        ]),
    {
      name: "authorityKeyIdentifier",
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  return { cert: sign(cert, ca.key), key: privateKey };
}
