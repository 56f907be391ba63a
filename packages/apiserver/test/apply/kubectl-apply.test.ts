import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { httpsRequest, type Json } from "../server/https-client.js";
import { kubectl, kubectlOk, writeKubeconfig } from "../server/kubectl.js";
import { BACKENDS, type Backend } from "../storage/backends.js";

const TOKEN = "ssa-token";

const deploy = (
  image: string,
  replicas: number,
  labels = "{app: web, tier: front}",
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: ${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;

const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
${data}`;

describe.each(Object.keys(BACKENDS))("kubectl apply --server-side on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let url: string;
  let kubeconfig: string;
  const getJson = async (what: string[]): Promise<Json> =>
    JSON.parse(
      await kubectlOk(kubeconfig, ["get", ...what, "-o", "json", "--show-managed-fields"]),
    );
  const managers = (obj: Json) =>
    (obj.metadata.managedFields as Json[]).map((e) => `${e.manager}/${e.operation}`).sort();

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-ssa");
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([[TOKEN, { name: "admin", uid: "1", groups: ["system:masters"] }]]),
    });
    url = await api.listen(0);
    kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, TOKEN);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await dir?.remove();
  });

  it("creates, updates, conflicts with a second manager, and yields to --force-conflicts", async () => {
    const ssa = ["apply", "--server-side", "--validate=false", "-f", "-"];
    expect(await kubectlOk(kubeconfig, ssa, deploy("nginx:1.26", 2))).toContain(
      "deployment.apps/web serverside-applied",
    );
    let obj = await getJson(["deployment", "web"]);
    expect(managers(obj)).toEqual(["kubectl/Apply"]);
    expect(obj.metadata.managedFields[0].fieldsV1["f:spec"]["f:replicas"]).toEqual({});

    // Edit and re-apply: the image changes, the dropped label goes.
    await kubectlOk(kubeconfig, ssa, deploy("nginx:1.27", 2, "{app: web}"));
    obj = await getJson(["deployment", "web"]);
    expect(obj.spec.template.spec.containers[0].image).toBe("nginx:1.27");
    expect(obj.metadata.labels).toEqual({ app: "web" });
    expect(obj.metadata.generation).toBe(2);

    // Another manager changing replicas conflicts.
    const other = await kubectl(
      kubeconfig,
      [...ssa.slice(0, 2), "--field-manager=other", ...ssa.slice(2)],
      deploy("nginx:1.27", 5, "{app: web}"),
    );
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    );

    const forced = await kubectl(
      kubeconfig,
      [...ssa.slice(0, 2), "--field-manager=other", "--force-conflicts", ...ssa.slice(2)],
      deploy("nginx:1.27", 5, "{app: web}"),
    );
    expect(forced.stderr).toBe("");
    obj = await getJson(["deployment", "web"]);
    expect(obj.spec.replicas).toBe(5);
    expect(managers(obj)).toEqual(["kubectl/Apply", "other/Apply"]);
    const kubectlFields = obj.metadata.managedFields.find(
      (e: Json) => e.manager === "kubectl",
    ).fieldsV1;
    expect(kubectlFields["f:spec"]["f:replicas"]).toBeUndefined();

    // managedFields are hidden unless asked for, as kubectl does.
    const plain = JSON.parse(
      await kubectlOk(kubeconfig, ["get", "deployment", "web", "-o", "json"]),
    );
    expect(plain.metadata.managedFields).toBeUndefined();
    const yaml = await kubectlOk(kubeconfig, [
      "get",
      "deployment",
      "web",
      "-o",
      "yaml",
      "--show-managed-fields",
    ]);
    expect(yaml).toContain("managedFields:");
    expect(yaml).toContain("manager: other");
    expect(yaml).toContain("operation: Apply");
  }, 120_000);

  it("takes over from client-side apply without an error", async () => {
    await kubectlOk(
      kubeconfig,
      ["apply", "--validate=false", "-f", "-"],
      configMap("  a: one\n  b: two\n"),
    );
    let obj = await getJson(["configmap", "settings"]);
    expect(managers(obj)).toEqual(["kubectl-client-side-apply/Update"]);
    const migrated = await kubectl(
      kubeconfig,
      ["apply", "--server-side", "--validate=false", "-f", "-"],
      configMap("  a: one\n  b: two\n"),
    );
    expect(migrated.stderr).toBe("");
    obj = await getJson(["configmap", "settings"]);
    expect(managers(obj)).toContain("kubectl/Apply");
    // The applier now owns what client-side apply set: dropping b removes it.
    await kubectlOk(
      kubeconfig,
      ["apply", "--server-side", "--validate=false", "-f", "-"],
      configMap("  a: uno\n"),
    );
    obj = await getJson(["configmap", "settings"]);
    expect(obj.data).toEqual({ a: "uno" });
  }, 120_000);

  it("records an Update entry for each writer, named by fieldManager or User-Agent", async () => {
    await kubectlOk(kubeconfig, ["create", "configmap", "plain", "--from-literal=k=v"]);
    await kubectlOk(kubeconfig, ["label", "configmap", "plain", "team=a"]);
    const obj = await getJson(["configmap", "plain"]);
    expect(managers(obj)).toEqual(["kubectl-create/Update", "kubectl-label/Update"]);
    const res = await httpsRequest(
      `${url}/api/v1/namespaces/default/configmaps/plain`,
      api.servingCert.cert,
      {
        method: "PATCH",
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          "Content-Type": "application/merge-patch+json",
          "User-Agent": "my-tool/1.0 (linux)",
        },
        body: JSON.stringify({ data: { k: "changed" } }),
      },
    );
    expect(res.status).toBe(200);
    const entries = res.json().metadata.managedFields as Json[];
    expect(entries.find((e) => e.manager === "my-tool")?.fieldsV1).toEqual({
      "f:data": { "f:k": {} },
    });
    // kubectl-create keeps the map itself, and loses the key my-tool changed.
    expect(entries.find((e) => e.manager === "kubectl-create")?.fieldsV1["f:data"]).toEqual({
      ".": {},
    });
  }, 60_000);

  it("requires a fieldManager, and refuses force on other patches", async () => {
    const patch = (query: string, type: string, body: string) =>
      httpsRequest(`${url}/api/v1/namespaces/default/configmaps/x${query}`, api.servingCert.cert, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": type },
        body,
      });
    const config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n";
    const noManager = await patch("", "application/apply-patch+yaml", config);
    expect(noManager.status).toBe(422);
    expect(noManager.json().message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const created = await patch("?fieldManager=tool", "application/apply-patch+yaml", config);
    expect(created.status).toBe(201);
    expect(created.json().metadata.managedFields[0]).toMatchObject({
      manager: "tool",
      operation: "Apply",
    });
    const forced = await patch("?force=true", "application/merge-patch+json", "{}");
    expect(forced.status).toBe(422);
    expect(forced.json().message).toContain(
      "force: Forbidden: may not be specified for non-apply patch",
    );
  });
});
