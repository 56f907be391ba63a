import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { parseTokenFile } from "../../src/server/token-file.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { httpsRequest } from "./https-client.js";
import { kubectl, kubectlOk, writeKubeconfig } from "./kubectl.js";

const TOKEN_FILE = 'admin-token,admin,1,"system:masters"\n';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: nginx:1.27
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
`;

describe.each(Object.keys(BACKENDS))("kubectl and OpenAPI on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let kubeconfig: string;
  let url: string;

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-kubectl-openapi");
    const tokens = parseTokenFile(TOKEN_FILE);
    if (!tokens.ok) throw new Error(tokens.message);
    api = await createApiServer({
      etcdTransport: backend.transport,
      certDir: dir.path,
      tokens: tokens.tokens,
    });
    url = await api.listen(0);
    kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, "admin-token");
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await dir?.remove();
  });

  it("serves /openapi/v2 as JSON and refuses protobuf-only requests", async () => {
    const auth = { Authorization: "Bearer admin-token" };
    const v2 = await httpsRequest(`${url}/openapi/v2`, api.servingCert.cert, { headers: auth });
    expect(v2.status).toBe(200);
    expect(v2.json().definitions["io.k8s.api.core.v1.Pod"]).toBeDefined();
    const proto = await httpsRequest(`${url}/openapi/v2`, api.servingCert.cert, {
      headers: { ...auth, Accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" },
    });
    expect(proto.status).toBe(406);
    const index = await httpsRequest(`${url}/openapi/v3`, api.servingCert.cert, { headers: auth });
    expect(index.json().paths["apis/apps/v1"].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=/,
    );
  });

  it("explains built-in kinds and their fields", async () => {
    const pods = await kubectlOk(kubeconfig, ["explain", "pods"]);
    expect(pods).toContain("KIND:       Pod");
    expect(pods).toMatch(/spec\s+<PodSpec>/);
    expect(pods).toMatch(/status\s+<PodStatus>/);
    const image = await kubectlOk(kubeconfig, ["explain", "pods.spec.containers.image"]);
    expect(image).toMatch(/FIELD: image <string>/);
    expect(image).toContain("The image to run");
    const containers = await kubectlOk(kubeconfig, ["explain", "pods.spec.containers"]);
    expect(containers).toMatch(/name\s+<string> -required-/);
    const strategy = await kubectlOk(kubeconfig, [
      "explain",
      "deployment.spec.strategy",
      "--recursive",
    ]);
    expect(strategy).toMatch(/FIELD: strategy <DeploymentStrategy>/);
    expect(strategy).toMatch(
      /rollingUpdate\s+<RollingUpdateDeployment>\n\s+maxSurge\s+<string>\n\s+maxUnavailable\s+<string>\n\s+type\s+<string>/,
    );
  });

  it("applies with server-side field validation, and patches by the OpenAPI merge keys", async () => {
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], DEPLOYMENT)).toBe(
      "deployment.apps/api created\n",
    );
    // Strategy switched to Recreate ($retainKeys drops rollingUpdate) and env B removed by its merge key.
    const changed = DEPLOYMENT.replace("type: RollingUpdate", "type: Recreate")
      .replace("    rollingUpdate: {maxSurge: 1}\n", "")
      .replace('        - {name: B, value: "2"}\n', "");
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], changed)).toBe(
      "deployment.apps/api configured\n",
    );
    const stored = JSON.parse(await kubectlOk(kubeconfig, ["get", "deploy", "api", "-o", "json"]));
    expect(stored.spec.strategy).toEqual({ type: "Recreate" });
    expect(stored.spec.template.spec.containers[0].env).toEqual([{ name: "A", value: "1" }]);
    const unknown = DEPLOYMENT.replace("metadata:\n  name: api", "metadata:\n  name: api2").replace(
      "  replicas: 1",
      "  replicas: 1\n  foo: bar",
    );
    const refused = await kubectl(kubeconfig, ["apply", "-f", "-"], unknown);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    );
    const warned = await kubectl(kubeconfig, ["apply", "--validate=warn", "-f", "-"], unknown);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('unknown field "spec.foo"');
  }, 120_000);
});
