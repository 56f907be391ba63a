import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CertificateDirectory,
  type CertKeyPair,
  createCertificateAuthority,
  issueCertificate,
} from "../src/index.js";

/** Connects to a TLS server with `client` (if any), trusting `ca`; resolves with what the server saw. */
async function handshake(
  port: number,
  ca: CertKeyPair,
  client?: CertKeyPair,
): Promise<{ authorized: boolean; subject?: string }> {
  return await new Promise((resolve, reject) => {
    const socket = connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: ca.cert,
      ...(client ? { cert: client.cert, key: client.key } : {}),
    });
    socket.once("error", reject);
    let body = "";
    socket.on("data", (chunk) => {
      body += String(chunk);
    });
    socket.once("secureConnect", () => socket.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"));
    socket.once("end", () => resolve(JSON.parse(body.slice(body.indexOf("\r\n\r\n") + 4))));
  });
}

describe("a cluster CA and the certificates it signs", () => {
  const ca = createCertificateAuthority("test-ca");
  const serving = issueCertificate(ca, {
    commonName: "kube-apiserver",
    names: ["localhost", "kubernetes.default.svc", "127.0.0.1", "10.0.0.1"],
    usages: ["server"],
  });
  const admin = issueCertificate(ca, {
    commonName: "kubekit-admin",
    organizations: ["system:masters"],
    usages: ["client"],
  });
  let port: number;
  const server = createServer(
    {
      cert: serving.cert,
      key: serving.key,
      ca: ca.cert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      res.end(
        JSON.stringify({
          authorized: socket.authorized,
          subject: peer.subject ? `${peer.subject.O}/${peer.subject.CN}` : undefined,
        }),
      );
    },
  );
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("issues serving certificates with the requested DNS and IP names", () => {
    const cert = new X509Certificate(serving.cert);
    expect(cert.subjectAltName).toBe(
      "DNS:localhost, DNS:kubernetes.default.svc, IP Address:127.0.0.1, IP Address:10.0.0.1",
    );
    expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(new X509Certificate(ca.cert).ca).toBe(true);
  });

  it("lets a server verify client certificates and read the user (CN) and groups (O)", async () => {
    expect(await handshake(port, ca, admin)).toEqual({
      authorized: true,
      subject: "system:masters/kubekit-admin",
    });
  });

  it("refuses a client certificate signed by another CA", async () => {
    const stranger = createCertificateAuthority("other-ca");
    const forged = issueCertificate(stranger, {
      commonName: "kubekit-admin",
      organizations: ["system:masters"],
      usages: ["client"],
    });
    expect((await handshake(port, ca, forged)).authorized).toBe(false);
  });

  it("refuses a usage-less request", () => {
    expect(() => issueCertificate(ca, { commonName: "x", usages: [] })).toThrow(/usage/);
  });
});

describe("CertificateDirectory", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kubekit-pki-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reuses what it wrote, across instances, and keeps keys private", async () => {
    const request = {
      commonName: "kube-apiserver",
      names: ["localhost"],
      usages: ["server" as const],
    };
    const first = new CertificateDirectory(dir);
    const ca = await first.ca();
    const cert = await first.certificate("apiserver", request);

    const second = new CertificateDirectory(dir);
    expect(await second.ca()).toEqual(ca);
    expect(await second.certificate("apiserver", request)).toEqual(cert);
    expect((await stat(second.keyPath("apiserver"))).mode & 0o777).toBe(0o600);
  });

  it("reissues a certificate that no longer covers the requested names, keeping the CA", async () => {
    const pki = new CertificateDirectory(dir);
    const ca = await pki.ca();
    const before = await pki.certificate("kubelet", {
      commonName: "n1",
      names: ["n1"],
      usages: ["server"],
    });
    const after = await pki.certificate("kubelet", {
      commonName: "n1",
      names: ["n1", "192.168.1.7"],
      usages: ["server"],
    });
    expect(after.cert).not.toBe(before.cert);
    expect(new X509Certificate(after.cert).checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(await new CertificateDirectory(dir).ca()).toEqual(ca);
  });
});
