import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { parseTokenFile } from "../../src/server/token-file.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { kubectl, kubectlOk, writeKubeconfig } from "./kubectl.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 1
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec: {containers: [{name: web, image: nginx}]}
`;

const SETS = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 1
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 1
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: nginx}]}
`;

describe("the scale and namespaces/finalize subresources", { timeout: 120_000 }, () => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let kubeconfig: string;

  beforeAll(async () => {
    backend = await BACKENDS["store-raft"]!();
    dir = await makeTempDir("apiserver-scale");
    const tokens = parseTokenFile('admin-token,admin,1,"system:masters"\n');
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

  it("serves kubectl scale on deployments and replication controllers", async () => {
    const file = join(dir.path, "workloads.yaml");
    await writeFile(file, DEPLOYMENT);
    await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", file]);
    const before = JSON.parse(
      await kubectlOk(kubeconfig, [
        "get",
        "--raw",
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
      ]),
    );
    expect(before).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 2 },
      status: { selector: "app=web" },
    });
    await kubectlOk(kubeconfig, ["scale", "deployment/web", "--replicas=5"]);
    await kubectlOk(kubeconfig, ["scale", "rc/legacy", "--replicas=3"]);
    const deploy = JSON.parse(
      await kubectlOk(kubeconfig, ["get", "deployment", "web", "-o", "json"]),
    );
    expect(deploy.spec.replicas).toBe(5);
    expect(deploy.metadata.generation).toBe(2);
    expect(
      await kubectlOk(kubeconfig, ["get", "rc", "legacy", "-o", "jsonpath={.spec.replicas}"]),
    ).toBe("3");
    // A stale precondition is a conflict, as upstream.
    const stale = await kubectl(kubeconfig, [
      "scale",
      "deployment/web",
      "--replicas=1",
      `--resource-version=${before.metadata.resourceVersion}`,
    ]);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/Expected resource version|modified|conflict/i);
    const negative = await kubectl(kubeconfig, ["scale", "deployment/web", "--replicas=-1"]);
    expect(negative.code).not.toBe(0);
  });

  it("scales replicasets and statefulsets by PATCH (kubectl scale) and by PUT of a Scale", async () => {
    const file = join(dir.path, "sets.yaml");
    await writeFile(file, SETS);
    await kubectlOk(kubeconfig, ["apply", "--validate=false", "-f", file]);
    for (const [resource, name] of [
      ["replicasets", "rs"],
      ["statefulsets", "db"],
    ] as const) {
      const path = `/apis/apps/v1/namespaces/default/${resource}/${name}/scale`;
      const before = JSON.parse(await kubectlOk(kubeconfig, ["get", "--raw", path]));
      expect(before).toMatchObject({
        kind: "Scale",
        metadata: { name },
        spec: { replicas: 1 },
        status: { selector: `app=${name}` },
      });
      await kubectlOk(kubeconfig, ["scale", `${resource}/${name}`, "--replicas=4"]);
      const scaleFile = join(dir.path, `${name}-scale.json`);
      await writeFile(
        scaleFile,
        JSON.stringify({
          kind: "Scale",
          apiVersion: "autoscaling/v1",
          metadata: { name, namespace: "default" },
          spec: { replicas: 6 },
        }),
      );
      const replaced = JSON.parse(
        await kubectlOk(kubeconfig, ["replace", "--raw", path, "-f", scaleFile]),
      );
      expect(replaced).toMatchObject({ kind: "Scale", spec: { replicas: 6 } });
      const parent = JSON.parse(await kubectlOk(kubeconfig, ["get", resource, name, "-o", "json"]));
      expect(parent.spec.replicas).toBe(6);
      expect(parent.metadata.generation).toBe(3);
    }
  });

  it("reads the protobuf Deployment kubectl create deployment sends", async () => {
    await kubectlOk(kubeconfig, [
      "create",
      "deployment",
      "proto",
      "--image=busybox:1",
      "--replicas=3",
      "--port=80",
    ]);
    const d = JSON.parse(await kubectlOk(kubeconfig, ["get", "deployment", "proto", "-o", "json"]));
    expect(d.metadata.labels).toEqual({ app: "proto" });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { app: "proto" } });
    expect(d.spec.template.metadata.labels).toEqual({ app: "proto" });
    expect(d.spec.template.spec.containers).toMatchObject([
      { name: "busybox", image: "busybox:1", ports: [{ containerPort: 80 }] },
    ]);
  });

  it("keeps a terminating namespace until finalize removes its last spec finalizer", async () => {
    await kubectlOk(kubeconfig, ["create", "namespace", "doomed"]);
    await kubectlOk(kubeconfig, ["delete", "namespace", "doomed", "--wait=false"]);
    const terminating = JSON.parse(
      await kubectlOk(kubeconfig, ["get", "namespace", "doomed", "-o", "json"]),
    );
    expect(terminating.status.phase).toBe("Terminating");
    expect(terminating.spec.finalizers).toEqual(["kubernetes"]);
    // A status write (the namespace controller's conditions) must not delete it early.
    const statusFile = join(dir.path, "status.json");
    await writeFile(
      statusFile,
      JSON.stringify({
        ...terminating,
        status: {
          phase: "Terminating",
          conditions: [
            { type: "NamespaceContentRemaining", status: "False", reason: "ContentRemoved" },
          ],
        },
      }),
    );
    await kubectlOk(kubeconfig, [
      "replace",
      "--raw",
      "/api/v1/namespaces/doomed/status",
      "-f",
      statusFile,
    ]);
    expect(await kubectlOk(kubeconfig, ["get", "namespace", "doomed", "-o", "name"])).toContain(
      "doomed",
    );
    const finalizeFile = join(dir.path, "finalize.json");
    await writeFile(
      finalizeFile,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "doomed" },
        spec: { finalizers: [] },
      }),
    );
    await kubectlOk(kubeconfig, [
      "replace",
      "--raw",
      "/api/v1/namespaces/doomed/finalize",
      "-f",
      finalizeFile,
    ]);
    const gone = await kubectl(kubeconfig, ["get", "namespace", "doomed"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("NotFound");
  });
});
