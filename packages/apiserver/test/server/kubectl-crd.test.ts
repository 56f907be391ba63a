import { eventually, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { parseTokenFile } from "../../src/server/token-file.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { kubectl, kubectlOk, writeKubeconfig } from "./kubectl.js";

const TOKEN_FILE = 'admin-token,admin,1,"system:masters"\n';

const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: podgroups.scheduling.kubekit.io
spec:
  group: scheduling.kubekit.io
  scope: Namespaced
  names:
    plural: podgroups
    singular: podgroup
    kind: PodGroup
    shortNames: [pg]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.minMember
        statusReplicasPath: .status.members
    additionalPrinterColumns:
    - name: Min
      type: integer
      jsonPath: .spec.minMember
    - name: Phase
      type: string
      jsonPath: .status.phase
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A group of pods scheduled together.
        properties:
          spec:
            type: object
            description: What the group needs.
            properties:
              minMember:
                type: integer
                minimum: 1
                description: How many pods must be placed together.
              queue:
                type: string
                default: default
          status:
            type: object
            properties:
              phase:
                type: string
              members:
                type: integer
`;

const CR_YAML = `apiVersion: scheduling.kubekit.io/v1alpha1
kind: PodGroup
metadata:
  name: trainers
spec:
  minMember: 3
`;

describe.each(Object.keys(BACKENDS))("kubectl and CRDs on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let dir: TempDir;
  let kubeconfig: string;

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-kubectl-crd");
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

  it("applies a CRD, waits for it, and serves its custom resources", async () => {
    expect(await kubectlOk(kubeconfig, ["apply", "-f", "-"], CRD_YAML)).toContain(
      "customresourcedefinition.apiextensions.k8s.io/podgroups.scheduling.kubekit.io created",
    );
    await kubectlOk(kubeconfig, [
      "wait",
      "--for",
      "condition=established",
      "--timeout=60s",
      "crd/podgroups.scheduling.kubekit.io",
    ]);
    const crds = await kubectlOk(kubeconfig, ["get", "crd"]);
    expect(crds).toMatch(/^NAME\s+CREATED AT$/m);
    expect(crds).toMatch(/^podgroups\.scheduling\.kubekit\.io\s+\d{4}-\d\d-\d\dT/m);
    // kubectl caches discovery; a fresh CRD is found after its discovery refresh.
    await eventually(
      "podgroup created",
      async () => {
        const r = await kubectl(kubeconfig, ["apply", "-f", "-"], CR_YAML);
        return r.code === 0 ? r.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const table = await kubectlOk(kubeconfig, ["get", "podgroups"]);
    expect(table).toMatch(/^NAME\s+MIN\s+PHASE\s+AGE$/m);
    expect(table).toMatch(/^trainers\s+3\s+\d+s$/m);
    expect(await kubectlOk(kubeconfig, ["get", "pg", "-o", "name"])).toBe(
      "podgroup.scheduling.kubekit.io/trainers\n",
    );
    const stored = JSON.parse(await kubectlOk(kubeconfig, ["get", "pg", "trainers", "-o", "json"]));
    expect(stored.spec).toEqual({ minMember: 3, queue: "default" });
  }, 180_000);

  it("patches, re-applies, and refuses invalid custom resources with upstream's words", async () => {
    await kubectlOk(kubeconfig, [
      "patch",
      "podgroup",
      "trainers",
      "--type=merge",
      "-p",
      '{"spec":{"minMember":5}}',
    ]);
    expect(
      await kubectlOk(kubeconfig, ["get", "pg", "trainers", "-o", "jsonpath={.spec.minMember}"]),
    ).toBe("5");
    const reapplied = await kubectlOk(kubeconfig, ["apply", "-f", "-"], CR_YAML);
    expect(reapplied).toContain("podgroup.scheduling.kubekit.io/trainers configured");
    expect(
      await kubectlOk(kubeconfig, ["get", "pg", "trainers", "-o", "jsonpath={.spec.minMember}"]),
    ).toBe("3");
    const bad = await kubectl(
      kubeconfig,
      ["apply", "-f", "-"],
      CR_YAML.replace("minMember: 3", 'minMember: "three"'),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      'The PodGroup "trainers" is invalid: spec.minMember: Invalid value: "string": spec.minMember in body must be of type integer: "string"',
    );
    const unknown = await kubectl(
      kubeconfig,
      ["apply", "-f", "-"],
      CR_YAML.replace("minMember: 3", "minMember: 3\n  foo: 1"),
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    const zero = await kubectl(
      kubeconfig,
      ["apply", "-f", "-"],
      CR_YAML.replace("minMember: 3", "minMember: 0"),
    );
    expect(zero.stderr).toContain("spec.minMember in body should be greater than or equal to 1");
  }, 120_000);

  it("scales through the scale subresource", async () => {
    expect(
      await kubectlOk(kubeconfig, ["scale", "podgroup", "trainers", "--replicas=4"]),
    ).toContain("podgroup.scheduling.kubekit.io/trainers scaled");
    expect(
      await kubectlOk(kubeconfig, ["get", "pg", "trainers", "-o", "jsonpath={.spec.minMember}"]),
    ).toBe("4");
  }, 60_000);

  it("explains the custom kind from its schema", async () => {
    const explained = await kubectlOk(kubeconfig, ["explain", "podgroups.spec"]);
    expect(explained).toContain("KIND:       PodGroup");
    expect(explained).toContain("What the group needs.");
    expect(explained).toMatch(/minMember\s+<integer>/);
    expect(explained).toContain("How many pods must be placed together.");
  }, 60_000);

  it("deletes the custom resources with the CRD", async () => {
    await kubectlOk(kubeconfig, [
      "delete",
      "crd",
      "podgroups.scheduling.kubekit.io",
      "--timeout=60s",
    ]);
    const crds = await kubectl(kubeconfig, ["get", "crd", "podgroups.scheduling.kubekit.io"]);
    expect(crds.stderr).toContain("not found");
    // Recreated, the CRD has no objects left from before.
    await kubectlOk(kubeconfig, ["apply", "-f", "-"], CRD_YAML);
    await kubectlOk(kubeconfig, [
      "wait",
      "--for",
      "condition=established",
      "--timeout=60s",
      "crd/podgroups.scheduling.kubekit.io",
    ]);
    const list = await eventually(
      "podgroups listed",
      async () => {
        const r = await kubectl(kubeconfig, ["get", "podgroups", "-o", "name"]);
        return r.code === 0 ? r.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(list).toBe("");
  }, 180_000);
});
