import { X509Certificate } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CertificateRequest,
  type CertKeyPair,
  createCertificateAuthority,
  issueCertificate,
} from "./certificate.js";

/**
 * A directory of certificates that outlive the process, as kubeadm's
 * /etc/kubernetes/pki: `<name>.crt` and `<name>.key`, the CA as `ca`.
 * Whatever exists is reused, so a restarted cluster keeps its identity
 * and the kubeconfigs written earlier stay valid.
 */
export class CertificateDirectory {
  readonly #dir: string;
  #ca: CertKeyPair | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Path of `<name>.crt`. */
  certPath(name: string): string {
    return join(this.#dir, `${name}.crt`);
  }

  /** Path of `<name>.key`. */
  keyPath(name: string): string {
    return join(this.#dir, `${name}.key`);
  }

  /** The CA: read from `ca.crt`/`ca.key`, or created (CN `commonName`) and written. */
  async ca(commonName = "kubekit-ca"): Promise<CertKeyPair> {
    this.#ca ??=
      (await this.#read("ca")) ?? (await this.#write("ca", createCertificateAuthority(commonName)));
    return this.#ca;
  }

  /**
   * The certificate `name`: read when it exists, is signed by this
   * directory's CA and still covers every requested name; otherwise issued
   * by the CA and written.
   */
  async certificate(name: string, request: CertificateRequest): Promise<CertKeyPair> {
    const ca = await this.ca();
    const existing = await this.#read(name);
    if (existing !== undefined && covers(existing, ca, request)) return existing;
    return await this.#write(name, issueCertificate(ca, request));
  }

  async #read(name: string): Promise<CertKeyPair | undefined> {
    try {
      return {
        cert: await readFile(this.certPath(name), "utf8"),
        key: await readFile(this.keyPath(name), "utf8"),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async #write(name: string, pair: CertKeyPair): Promise<CertKeyPair> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    // Key first, each through a rename: a crash never leaves a cert whose key is missing or torn.
    await writeAtomically(this.keyPath(name), pair.key, 0o600);
    await writeAtomically(this.certPath(name), pair.cert, 0o644);
    return pair;
  }
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, text, { mode });
  await rename(partial, path);
}

/** Whether `pair` was issued by `ca`, is valid now, and names everything `request` asks for. */
function covers(pair: CertKeyPair, ca: CertKeyPair, request: CertificateRequest): boolean {
  const cert = new X509Certificate(pair.cert);
  if (!cert.checkIssued(new X509Certificate(ca.cert))) return false;
  if (!cert.verify(new X509Certificate(ca.cert).publicKey)) return false;
  const now = (request.now ?? new Date()).getTime();
  if (Date.parse(cert.validTo) <= now) return false;
  const sans = (cert.subjectAltName ?? "")
    .split(", ")
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ""));
  return (request.names ?? []).every((name) => sans.includes(name));
}
