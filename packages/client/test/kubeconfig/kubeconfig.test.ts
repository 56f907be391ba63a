import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inClusterConfig } from "../../src/kubeconfig/in-cluster.js";
import { KubeconfigError } from "../../src/kubeconfig/kubeconfig-error.js";
import { loadKubeconfig, loadKubeconfigFile } from "../../src/kubeconfig/load.js";
import { restConfigFromKubeconfig } from "../../src/kubeconfig/rest-config-from-kubeconfig.js";

const b64 = (text: string): string => Buffer.from(text).toString("base64");

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir("client-kubeconfig");
});
afterEach(async () => {
  await dir.remove();
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir.path, name);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, text);
  return file;
}

const first = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority: certs/ca.crt
    tls-server-name: kubernetes
- name: shared
  cluster:
    server: https://first.example:6443
contexts:
- name: dev
  context: { cluster: dev, user: alice, namespace: team-a }
users:
- name: alice
  user:
    client-certificate: certs/alice.crt
    client-key-data: ${b64("ALICE KEY")}
`;

const second = `
current-context: other
clusters:
- name: shared
  cluster:
    server: https://second.example:6443
- name: prod
  cluster:
    server: https://prod.example:6443
    certificate-authority-data: ${b64("PROD CA")}
- name: lab
  cluster:
    server: https://lab.example:6443
    insecure-skip-tls-verify: true
- name: broken
  cluster:
    server: https://broken.example:6443
    certificate-authority-data: ${b64("CA")}
    insecure-skip-tls-verify: true
contexts:
- name: prod
  context: { cluster: prod, user: bob }
- name: dev
  context: { cluster: prod, user: bob }
- name: lab
  context: { cluster: lab, user: bob }
- name: broken
  context: { cluster: broken, user: bob }
users:
- name: bob
  user:
    tokenFile: bob.token
    username: bob
    password: hunter2
`;

describe("kubeconfig loading", () => {
  it("resolves relative paths against the file's directory and reads TLS material", async () => {
    await write("conf/certs/ca.crt", "DEV CA");
    await write("conf/certs/alice.crt", "ALICE CERT");
    const file = await write("conf/config", first);
    const config = await loadKubeconfigFile(file);
    expect(config.clusters.get("dev")?.certificateAuthority).toBe(
      join(dir.path, "conf/certs/ca.crt"),
    );
    const rest = await restConfigFromKubeconfig(config);
    expect(rest.server).toBe("https://127.0.0.1:6443");
    expect(rest.tls.ca?.toString()).toBe("DEV CA");
    expect(rest.tls.cert?.toString()).toBe("ALICE CERT");
    expect(rest.tls.key?.toString()).toBe("ALICE KEY");
    expect(rest.tls.serverName).toBe("kubernetes");
    expect(rest.namespace).toBe("team-a");
  });

  it("merges KUBECONFIG files first-wins per entry and for current-context", async () => {
    const a = await write("a/config", first);
    const b = await write("b/config", second);
    const missing = join(dir.path, "nope/config");
    const config = await loadKubeconfig({ env: { KUBECONFIG: [missing, a, b].join(":") } });
    expect(config.currentContext).toBe("dev");
    expect(config.clusters.get("shared")?.server).toBe("https://first.example:6443");
    expect(config.clusters.get("prod")?.server).toBe("https://prod.example:6443");
    // dev context comes from the first file, even though the second redefines it.
    expect(config.contexts.get("dev")?.user).toBe("alice");
    const prod = await restConfigFromKubeconfig(config, { context: "prod" });
    expect(prod.tls.ca?.toString()).toBe("PROD CA");
    expect(prod.tls.insecureSkipTLSVerify).toBeUndefined();
    const lab = await restConfigFromKubeconfig(config, { context: "lab" });
    expect(lab.tls).toEqual({ insecureSkipTLSVerify: true });
    await expect(restConfigFromKubeconfig(config, { context: "broken" })).rejects.toThrow(
      `${b}: clusters.broken.insecure-skip-tls-verify: cannot be combined with a certificate authority`,
    );
    expect(prod.auth).toEqual({
      bearerTokenFile: join(dir.path, "b/bob.token"),
      username: "bob",
      password: "hunter2",
    });
  });

  it("falls back to ~/.kube/config", async () => {
    await write("home/.kube/config", second);
    const config = await loadKubeconfig({ env: {}, home: join(dir.path, "home") });
    expect(config.currentContext).toBe("other");
  });

  it("names the file and field in errors", async () => {
    const bad = await write(
      "bad",
      "clusters:\n- name: x\n  cluster:\n    insecure-skip-tls-verify: maybe\n    server: s\n",
    );
    const err = await loadKubeconfigFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeconfigError);
    expect((err as KubeconfigError).file).toBe(bad);
    expect((err as KubeconfigError).field).toBe("clusters[0].cluster.insecure-skip-tls-verify");

    const noServer = await write("noserver", "clusters:\n- name: x\n  cluster: {}\n");
    await expect(loadKubeconfigFile(noServer)).rejects.toThrow(
      `${noServer}: clusters[0].cluster.server: is required`,
    );
    await expect(loadKubeconfigFile(await write("yaml", "a: [1,"))).rejects.toThrow(
      /not valid YAML/,
    );
  });

  it("reports a context naming an unknown cluster, and a missing CA file", async () => {
    const file = await write(
      "dangling",
      "current-context: c\ncontexts:\n- name: c\n  context: {cluster: gone, user: u}\n",
    );
    await expect(restConfigFromKubeconfig(await loadKubeconfigFile(file))).rejects.toThrow(
      `${file}: contexts.c.cluster: names cluster "gone", which is not defined`,
    );
    const noCa = await write("conf/config", first);
    await expect(restConfigFromKubeconfig(await loadKubeconfigFile(noCa))).rejects.toThrow(
      /clusters\.dev\.certificate-authority: cannot read/,
    );
  });
});

describe("server URLs", () => {
  it("treats a bare host:port as HTTPS and refuses other schemes", async () => {
    const file = await write(
      "urls",
      [
        "current-context: bare",
        "clusters:",
        "- {name: bare, cluster: {server: '10.0.0.1:6443'}}",
        "- {name: ftp, cluster: {server: 'ftp://10.0.0.1'}}",
        "contexts:",
        "- {name: bare, context: {cluster: bare}}",
        "- {name: ftp, context: {cluster: ftp}}",
      ].join("\n"),
    );
    const config = await loadKubeconfigFile(file);
    expect((await restConfigFromKubeconfig(config)).server).toBe("https://10.0.0.1:6443");
    await expect(restConfigFromKubeconfig(config, { context: "ftp" })).rejects.toThrow(
      `${file}: clusters.ftp.server: "ftp://10.0.0.1" must be an http(s) URL`,
    );
  });
});

describe("unsupported settings", () => {
  it("refuses exec plugins and proxies instead of silently ignoring them", async () => {
    const file = await write(
      "exec",
      [
        "current-context: c",
        "clusters:",
        "- name: k",
        "  cluster: {server: 'https://k:6443'}",
        "- name: proxied",
        "  cluster: {server: 'https://p:6443', proxy-url: 'http://proxy:3128'}",
        "contexts:",
        "- name: c",
        "  context: {cluster: k, user: cloud}",
        "- name: p",
        "  context: {cluster: proxied, user: plain}",
        "users:",
        "- name: cloud",
        "  user: {exec: {command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1beta1}}",
        "- name: plain",
        "  user: {token: t}",
      ].join("\n"),
    );
    const config = await loadKubeconfigFile(file);
    await expect(restConfigFromKubeconfig(config)).rejects.toThrow(
      `${file}: users.cloud.exec: is not supported by @kubekit/client yet`,
    );
    await expect(restConfigFromKubeconfig(config, { context: "p" })).rejects.toThrow(
      /clusters\.proxied\.proxy-url: is not supported/,
    );
  });
});

describe("in-cluster config", () => {
  it("reads the service account and the service host and port", async () => {
    await write("sa/token", "TOKEN\n");
    await write("sa/ca.crt", "CLUSTER CA");
    await write("sa/namespace", "kube-system\n");
    const config = await inClusterConfig({
      serviceAccountDir: join(dir.path, "sa"),
      env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" },
    });
    expect(config.server).toBe("https://[fd00::1]:443");
    expect(config.tls.ca?.toString()).toBe("CLUSTER CA");
    expect(config.auth.bearerTokenFile).toBe(join(dir.path, "sa/token"));
    expect(config.namespace).toBe("kube-system");
  });

  it("fails clearly outside a pod", async () => {
    await expect(inClusterConfig({ env: {} })).rejects.toThrow(/KUBERNETES_SERVICE_HOST/);
    await expect(
      inClusterConfig({
        serviceAccountDir: join(dir.path, "none"),
        env: { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" },
      }),
    ).rejects.toThrow(/none\/token: cannot read/);
  });
});
