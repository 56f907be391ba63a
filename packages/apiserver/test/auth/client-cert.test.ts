import { writeFile } from "node:fs/promises";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type CertKeyPair, createCertificateAuthority, issueCertificate } from "@kubekit/pki";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateRequest } from "../../src/auth/authenticate.js";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { generateServingCert } from "../../src/server/serving-cert.js";
import { kubectl, kubectlOk } from "../server/kubectl.js";
import { BACKENDS, type Backend } from "../storage/backends.js";

const b64 = (pem: string) => Buffer.from(pem).toString("base64");

/** A kubeconfig whose user is a client certificate (no token). */
async function writeCertKubeconfig(
  dir: string,
  name: string,
  server: string,
  serverCa: string,
  client: CertKeyPair,
): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "kubekit", cluster: { server, "certificate-authority-data": b64(serverCa) } },
      ],
      users: [
        {
          name: "admin",
          user: { "client-certificate-data": b64(client.cert), "client-key-data": b64(client.key) },
        },
      ],
      contexts: [{ name: "kubekit", context: { cluster: "kubekit", user: "admin" } }],
      "current-context": "kubekit",
    }),
  );
  return path;
}

const ca = createCertificateAuthority("test-client-ca");
const otherCa = createCertificateAuthority("someone-else");
const admin = issueCertificate(ca, {
  commonName: "kubekit-admin",
  organizations: ["system:masters"],
  usages: ["client"],
});
const stranger = issueCertificate(otherCa, {
  commonName: "mallory",
  organizations: ["system:masters"],
  usages: ["client"],
});

describe("authenticateRequest over real TLS", () => {
  // A bare HTTPS server with the apiserver's TLS settings that echoes who it thinks the caller is.
  const serving = generateServingCert();
  let url: string;
  const server = createServer(
    { ...serving, ca: ca.cert, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const user = authenticateRequest(
        {
          tokens: new Map([["tok", { name: "token-user", uid: "1", groups: [] }]]),
          clientCerts: true,
        },
        req,
      );
      res.end(JSON.stringify(user ?? null));
    },
  );
  const who = (client?: CertKeyPair, token?: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = request(
        url,
        {
          ca: serving.cert,
          ...(client ?? {}),
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => {
            text += c.toString();
          });
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("names the user by CN and the groups by O", async () => {
    const twoGroups = issueCertificate(ca, {
      commonName: "jane",
      organizations: ["dev", "ops"],
      usages: ["client"],
    });
    expect(await who(admin)).toEqual({
      name: "kubekit-admin",
      uid: "",
      groups: ["system:masters", "system:authenticated"],
    });
    expect(await who(twoGroups)).toEqual({
      name: "jane",
      uid: "",
      groups: ["dev", "ops", "system:authenticated"],
    });
  });

  it("does not trust a certificate from another CA, and still takes tokens", async () => {
    expect(await who(stranger)).toBeNull();
    expect(await who()).toBeNull();
    expect(await who(undefined, "tok")).toMatchObject({ name: "token-user" });
    expect(await who(stranger, "tok")).toMatchObject({ name: "token-user" });
  });
});

describe.each(Object.keys(BACKENDS))("kubectl with a client certificate on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let url: string;

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-x509");
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([["admin-token", { name: "admin", uid: "1", groups: [] }]]),
      clientCA: ca.cert,
    });
    url = await api.listen(0);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await dir?.remove();
  });

  it("lets a client certificate signed by the client CA in", async () => {
    const kubeconfig = await writeCertKubeconfig(
      dir.path,
      "admin.kubeconfig",
      url,
      api.servingCert.cert,
      admin,
    );
    await kubectlOk(kubeconfig, ["create", "namespace", "x509"]);
    const out = await kubectlOk(kubeconfig, ["get", "namespace", "x509", "-o", "name"]);
    expect(out.trim()).toBe("namespace/x509");
  }, 60_000);

  it("answers 401 to a certificate from an unknown CA", async () => {
    const kubeconfig = await writeCertKubeconfig(
      dir.path,
      "stranger.kubeconfig",
      url,
      api.servingCert.cert,
      stranger,
    );
    const result = await kubectl(kubeconfig, ["get", "namespaces"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Unauthorized|provide credentials/);
  }, 60_000);
});
