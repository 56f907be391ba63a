import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createCertificateAuthority, issueCertificate } from "@kubekit/pki";
import { createStore } from "@kubekit/store-raft";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { Command, type CommanderError } from "commander";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServerCommand, parseTokenFile } from "../../src/index.js";
import { httpsRequest } from "./https-client.js";

function program(shutdown: AbortSignal, onListening?: (url: string) => void): Command {
  const root = new Command("kubekit").exitOverride().configureOutput({ writeErr: () => {} });
  const sub = createApiServerCommand({
    shutdown,
    logger: pino({ level: "silent" }),
    ...(onListening ? { onListening } : {}),
  });
  const command = root
    .command(sub.name)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  sub.configure(command);
  return root;
}

describe("kubekit apiserver", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("apiserver-command");
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it("serves on etcd over gRPC with a generated cert and a token file, until shut down", async () => {
    const store = createStore();
    const etcd = await store.listen(0);
    const tokenFile = join(dir.path, "tokens.csv");
    await writeFile(tokenFile, 'secret,alice,42,"system:masters,dev"\n');
    const clientCa = createCertificateAuthority("kubekit-client-ca");
    const caFile = join(dir.path, "client-ca.crt");
    await writeFile(caFile, clientCa.cert);
    const certDir = join(dir.path, "certs");
    const shutdown = new AbortController();
    let url = "";
    const running = program(shutdown.signal, (u) => {
      url = u;
    }).parseAsync(
      [
        "apiserver",
        "--etcd-servers",
        etcd.url,
        "--secure-port",
        "0",
        "--bind-address",
        "127.0.0.1",
        "--cert-dir",
        certDir,
        "--token-auth-file",
        tokenFile,
        "--client-ca-file",
        caFile,
      ],
      { from: "user" },
    );
    try {
      for (let i = 0; i < 100 && url === ""; i++) await new Promise((r) => setTimeout(r, 100));
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(certDir, "apiserver.crt"))).toBe(true);
      expect(existsSync(join(certDir, "apiserver.key"))).toBe(true);
      const { readFile } = await import("node:fs/promises");
      const ca = await readFile(join(certDir, "apiserver.crt"), "utf8");
      const res = await httpsRequest(`${url}/api/v1/namespaces/kube-system`, ca, {
        headers: { Authorization: "Bearer secret" },
      });
      expect(res.status).toBe(200);
      expect(res.json().metadata.name).toBe("kube-system");
      // A client certificate from --client-ca-file works without a token.
      const admin = issueCertificate(clientCa, {
        commonName: "admin",
        organizations: ["system:masters"],
        usages: ["client"],
      });
      const { request } = await import("node:https");
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${url}/api/v1/namespaces/default`, { ca, ...admin }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      shutdown.abort();
      await running;
      await etcd.close();
      await store.close();
    }
  }, 30_000);

  it("refuses bad flags with a clear error", async () => {
    const bad = async (args: string[]) => {
      try {
        await program(new AbortController().signal).parseAsync(["apiserver", ...args], {
          from: "user",
        });
      } catch (error) {
        return (error as CommanderError).message;
      }
      return "accepted";
    };
    expect(await bad([])).toMatch(/--etcd-servers/);
    expect(await bad(["--etcd-servers", "localhost:2379"])).toMatch(/not an http\(s\) URL/);
    expect(await bad(["--etcd-servers", "http://127.0.0.1:1", "--secure-port", "99999"])).toMatch(
      /not a port/,
    );
    const notPem = join(dir.path, "not-a-ca.txt");
    await writeFile(notPem, "hello");
    expect(await bad(["--etcd-servers", "http://127.0.0.1:1", "--client-ca-file", notPem])).toMatch(
      /--client-ca-file: .* holds no PEM certificate/,
    );
    const etcd = ["--etcd-servers", "http://127.0.0.1:1"];
    expect(await bad([...etcd, "--kubelet-client-certificate", "/nonexistent.crt"])).toMatch(
      /--kubelet-client-certificate and --kubelet-client-key go together/,
    );
    expect(
      await bad([
        ...etcd,
        "--kubelet-client-certificate",
        "/nonexistent.crt",
        "--kubelet-client-key",
        "/nonexistent.key",
      ]),
    ).toMatch(/--kubelet-client-certificate: .*ENOENT/);
  });
});

describe("parseTokenFile", () => {
  it("reads upstream's CSV with quoted groups", () => {
    const parsed = parseTokenFile('# comment\n\nt1,alice,1,"a,b"\nt2,bob,2\n');
    expect(parsed.ok && [...parsed.tokens]).toEqual([
      ["t1", { name: "alice", uid: "1", groups: ["a", "b"] }],
      ["t2", { name: "bob", uid: "2", groups: [] }],
    ]);
  });
  it("names the bad line", () => {
    expect(parseTokenFile("t1,alice\n")).toEqual({
      ok: false,
      message: expect.stringContaining("line 1"),
    });
    expect(parseTokenFile("t1,a,1\nt1,b,2\n")).toEqual({
      ok: false,
      message: expect.stringContaining("duplicate"),
    });
    expect(parseTokenFile('t,a,1,"unterminated\n')).toMatchObject({ ok: false });
  });
});
