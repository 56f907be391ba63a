import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { parseTokenFile } from "../../src/server/token-file.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { kubectl, kubectlOk, kubectlStream, writeKubeconfig } from "./kubectl.js";

const TOKEN_FILE = 'admin-token,admin,1,"system:masters"\n';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

describe.each(Object.keys(BACKENDS))("kubectl against the apiserver on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let kubeconfig: string;

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-kubectl");
    const tokens = parseTokenFile(TOKEN_FILE);
    if (!tokens.ok) throw new Error(tokens.message);
    api = await createApiServer({
      etcdTransport: backend.transport,
      certDir: dir.path,
      tokens: tokens.tokens,
    });
    const url = await api.listen(0);
    kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, "admin-token");
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await dir?.remove();
  });

  it("answers kubectl version and api-resources", async () => {
    const version = JSON.parse(await kubectlOk(kubeconfig, ["version", "-o", "json"]));
    expect(version.serverVersion.gitVersion).toBe("v1.32.0-kubekit");
    const resources = await kubectlOk(kubeconfig, ["api-resources", "--no-headers"]);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it("has the system namespaces and creates new ones", async () => {
    await kubectlOk(kubeconfig, ["create", "namespace", "team-a"]);
    const names = await kubectlOk(kubeconfig, [
      "get",
      "namespaces",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    ]);
    expect(names.split(" ").sort()).toEqual([
      "default",
      "kube-node-lease",
      "kube-public",
      "kube-system",
      "team-a",
    ]);
    const table = await kubectlOk(kubeconfig, ["get", "namespace", "team-a"]);
    expect(table).toMatch(/^NAME\s+STATUS\s+AGE\nteam-a\s+Active\s+\d+s\n$/);
    // kubectl's typed generators send protobuf bodies.
    await kubectlOk(kubeconfig, [
      "create",
      "secret",
      "generic",
      "creds",
      "-n",
      "team-a",
      "--from-literal=user=admin",
    ]);
    const user = await kubectlOk(kubeconfig, [
      "get",
      "secret",
      "creds",
      "-n",
      "team-a",
      "-o",
      "jsonpath={.data.user}",
    ]);
    expect(Buffer.from(user, "base64").toString()).toBe("admin");
  });

  it("applies a multi-document manifest and reads it back", async () => {
    const applied = await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", "-"], MANIFEST);
    expect(applied).toContain("configmap/web-config created");
    expect(applied).toContain("deployment.apps/web created");
    expect(applied).toContain("service/web created");
    const again = await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", "-"], MANIFEST);
    expect(again).toContain("deployment.apps/web unchanged");

    const deployment = JSON.parse(
      await kubectlOk(kubeconfig, ["get", "deployment", "web", "-o", "json"]),
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.type).toBe("RollingUpdate"); // defaulted by the core
    expect(deployment.metadata.resourceVersion).toMatch(/^\d+$/);
    const yaml = await kubectlOk(kubeconfig, ["get", "configmap", "web-config", "-o", "yaml"]);
    expect(yaml).toContain("greeting: hello");
    const services = await kubectlOk(kubeconfig, ["get", "services"]);
    expect(services).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(services).toMatch(/^web\s+ClusterIP\s+/m);
    const selected = await kubectlOk(kubeconfig, [
      "get",
      "configmaps,deployments",
      "-l",
      "app=web",
      "-o",
      "name",
    ]);
    expect(selected.trim().split("\n").sort()).toEqual([
      "configmap/web-config",
      "deployment.apps/web",
    ]);
  });

  it("labels, patches and deletes", async () => {
    await kubectlOk(kubeconfig, ["label", "configmap", "web-config", "tier=frontend"]);
    await kubectlOk(kubeconfig, [
      "patch",
      "configmap",
      "web-config",
      "--type=merge",
      "-p",
      '{"data":{"extra":"1"}}',
    ]);
    await kubectlOk(kubeconfig, [
      "patch",
      "deployment",
      "web",
      "--type=json",
      "-p",
      '[{"op":"replace","path":"/spec/replicas","value":3}]',
    ]);
    const cm = JSON.parse(
      await kubectlOk(kubeconfig, ["get", "configmap", "web-config", "-o", "json"]),
    );
    expect(cm.metadata.labels).toEqual({ app: "web", tier: "frontend" });
    expect(cm.data).toEqual({ greeting: "hello", extra: "1" });
    const replicas = await kubectlOk(kubeconfig, [
      "get",
      "deployment",
      "web",
      "-o",
      "jsonpath={.spec.replicas}",
    ]);
    expect(replicas).toBe("3");
    const byField = await kubectlOk(kubeconfig, [
      "get",
      "configmaps",
      "--field-selector",
      "metadata.name=web-config",
      "-o",
      "name",
    ]);
    expect(byField.trim()).toBe("configmap/web-config");

    await kubectlOk(kubeconfig, ["delete", "service", "web"]);
    const gone = await kubectl(kubeconfig, ["get", "service", "web"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('services "web" not found');
  });

  it("pages lists with --chunk-size", async () => {
    const pages = [0, 1, 2, 3, 4]
      .map(
        (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: page-${i}, namespace: team-a}\n`,
      )
      .join("---\n");
    await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", "-"], pages);
    const names = await kubectlOk(kubeconfig, [
      "get",
      "configmaps",
      "-n",
      "team-a",
      "--chunk-size=2",
      "-o",
      "name",
    ]);
    expect(names.trim().split("\n")).toEqual([0, 1, 2, 3, 4].map((i) => `configmap/page-${i}`));
  });

  it("streams a change to kubectl get -w", async () => {
    const watch = kubectlStream(kubeconfig, [
      "get",
      "configmaps",
      "-w",
      "-n",
      "team-a",
      "--request-timeout=30s",
    ]);
    try {
      await watch.waitFor(/page-4/);
      const watched =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched, namespace: team-a}\ndata: {a: b}\n";
      await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", "-"], watched);
      await watch.waitFor(/^watched\s+1\s+/m);
      await kubectlOk(kubeconfig, [
        "patch",
        "configmap",
        "watched",
        "-n",
        "team-a",
        "-p",
        '{"data":{"c":"d"}}',
      ]);
      await watch.waitFor(/^watched\s+2\s+/m);
    } finally {
      watch.stop();
    }
  }, 40_000);
});
