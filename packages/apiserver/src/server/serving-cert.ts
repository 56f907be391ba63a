import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import forge from "node-forge";

/** A PEM certificate and its PEM private key. */
export interface ServingCert {
  cert: string;
  key: string;
}

/** The file names upstream's kube-apiserver uses for a generated serving cert in `--cert-dir`. */
export const CERT_FILE = "apiserver.crt";
export const KEY_FILE = "apiserver.key";

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
const isIp = (name: string) => /^\d+\.\d+\.\d+\.\d+$/.test(name) || name.includes(":");

/**
 * A self-signed serving certificate for localhost, 127.0.0.1 and the
 * given extra names. It is its own CA (basicConstraints CA:true), so a
 * client can trust it directly as `certificate-authority`. The key is
 * made by Node's crypto; node-forge only writes the certificate.
 */
export function generateServingCert(
  extraNames: readonly string[] = [],
  now: Date = new Date(),
): ServingCert {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: clear the top bit of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString("hex");
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + ONE_YEAR_MS);
  // UTF8String: PrintableString (forge's default) may not hold the "@".
  const subject = [
    {
      name: "commonName",
      value: `localhost@${Math.floor(now.getTime() / 1000)}`,
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const names = [...new Set(["localhost", "127.0.0.1", ...extraNames])];
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    {
      name: "keyUsage",
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: true,
      critical: true,
    },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      // 2 = dNSName, 7 = iPAddress in the GeneralName CHOICE.
      altNames: names.map((n) => (isIp(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

/**
 * The serving cert in `certDir`: read from `apiserver.crt`/`apiserver.key`
 * when both exist, else generated and written there (key mode 0600), as
 * kube-apiserver does when given no `--tls-cert-file`.
 */
export async function ensureServingCert(
  certDir: string,
  extraNames: readonly string[] = [],
): Promise<ServingCert> {
  const certPath = join(certDir, CERT_FILE);
  const keyPath = join(certDir, KEY_FILE);
  try {
    return { cert: await readFile(certPath, "utf8"), key: await readFile(keyPath, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const generated = generateServingCert(extraNames);
  await mkdir(certDir, { recursive: true, mode: 0o700 });
  await writeFile(certPath, generated.cert, { mode: 0o644 });
  await writeFile(keyPath, generated.key, { mode: 0o600 });
  return generated;
}
