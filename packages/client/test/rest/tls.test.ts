import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../../src/rest/http-client.js";
import { type FakeServer, startFakeServer } from "../support/fake-server.js";
import { makeTestCerts, type TestCerts } from "../support/test-certs.js";

let dir: TempDir;
let certs: TestCerts;
let server: FakeServer;

beforeAll(async () => {
  dir = await makeTempDir("client-tls");
  certs = makeTestCerts(dir.path);
  server = await startFakeServer(
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    },
    {
      ca: certs.ca,
      cert: certs.serverCert,
      key: certs.serverKey,
      requestCert: true,
      rejectUnauthorized: false,
    },
  );
});

afterAll(async () => {
  await server?.close();
  await dir?.remove();
});

describe("HttpClient over TLS", () => {
  it("verifies the server against the configured CA and presents the client certificate", async () => {
    const http = new HttpClient({
      server: server.url,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
      auth: {},
    });
    const response = await http.request<Record<string, unknown>>({ method: "GET", path: "/api" });
    expect(response).toEqual({ ok: true });
    expect(server.seen.at(-1)?.peerCommonName).toBe("alice");
    http.close();
  });

  it("rejects a server its CA does not vouch for, unless told to skip verification", async () => {
    const untrusting = new HttpClient({ server: server.url, tls: {}, auth: {} });
    await expect(untrusting.request({ method: "GET", path: "/api" })).rejects.toThrow(
      /self-signed|unable to verify|certificate/i,
    );
    untrusting.close();
    const skipping = new HttpClient({
      server: server.url,
      tls: { insecureSkipTLSVerify: true },
      auth: {},
    });
    await expect(skipping.request({ method: "GET", path: "/api" })).resolves.toEqual({ ok: true });
    skipping.close();
  });

  it("checks the server name given by tls-server-name", async () => {
    const named = new HttpClient({
      server: server.url,
      tls: { ca: certs.ca, serverName: "kubernetes" },
      auth: {},
    });
    await expect(named.request({ method: "GET", path: "/api" })).resolves.toBeDefined();
    named.close();
    const wrong = new HttpClient({
      server: server.url,
      tls: { ca: certs.ca, serverName: "not-the-server" },
      auth: {},
    });
    await expect(wrong.request({ method: "GET", path: "/api" })).rejects.toThrow(
      /altnames|not in the cert/i,
    );
    wrong.close();
  });
});
