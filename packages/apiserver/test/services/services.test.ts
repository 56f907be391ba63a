import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { httpsRequest, type Json } from "../server/https-client.js";
import { kubectl, kubectlOk, writeKubeconfig } from "../server/kubectl.js";
import { BACKENDS, type Backend } from "../storage/backends.js";

const TOKEN = "svc-token";
const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const SVC = "/api/v1/namespaces/default/services";

const service = (name: string, spec: Json = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  });

describe.each(Object.keys(BACKENDS))("service allocation on %s", (backendName) => {
  let backend: Backend;
  let api: ApiServer;
  let url: string;
  let dir: TempDir;
  let kubeconfig: string;
  const start = async () => {
    api = await createApiServer({
      etcdTransport: backend.transport,
      tokens: new Map([[TOKEN, { name: "tester", uid: "1", groups: [] }]]),
      // A /28: 13 dynamic addresses, so the race test fills it.
      serviceClusterIPRange: "10.96.0.0/28",
      serviceNodePortRange: "30000-30099",
      advertiseAddress: "127.0.0.1",
    });
    url = await api.listen(0);
    kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, TOKEN);
  };
  const call = (method: string, path: string, body?: string, type = "application/json") =>
    httpsRequest(url + path, api.servingCert.cert, {
      method,
      headers: { ...headers, "Content-Type": type },
      ...(body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    backend = await BACKENDS[backendName]!();
    dir = await makeTempDir("apiserver-services");
    await start();
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await backend?.stop();
    await dir?.remove();
  });

  it("creates the kubernetes service at the range's first IP, with endpoints to the apiserver", async () => {
    const svc = (await call("GET", `${SVC}/kubernetes`)).json();
    expect(svc.spec).toMatchObject({
      clusterIP: "10.96.0.1",
      clusterIPs: ["10.96.0.1"],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: Number(new URL(url).port) }],
    });
    const ep = (await call("GET", "/api/v1/namespaces/default/endpoints/kubernetes")).json();
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: "127.0.0.1" }],
        ports: [{ name: "https", port: Number(new URL(url).port), protocol: "TCP" }],
      },
    ]);
  });

  it("allocates a cluster IP, honours a requested one, refuses a taken one, and frees it on delete", async () => {
    const auto = await call("POST", SVC, service("auto"));
    expect(auto.status).toBe(201);
    const ip = auto.json().spec.clusterIP;
    expect(ip).toMatch(/^10\.96\.0\.(\d+)$/);
    expect(Number(ip.split(".")[3])).toBeGreaterThan(1);
    expect(Number(ip.split(".")[3])).toBeLessThan(15);
    expect(auto.json().spec).toMatchObject({ clusterIPs: [ip], ipFamilyPolicy: "SingleStack" });

    const free = ip === "10.96.0.9" ? "10.96.0.10" : "10.96.0.9";
    const asked = await call("POST", SVC, service("asked", { clusterIP: free }));
    expect(asked.status).toBe(201);
    expect(asked.json().spec.clusterIP).toBe(free);

    const taken = await call("POST", SVC, service("taken", { clusterIP: free }));
    expect(taken.status).toBe(422);
    expect(taken.json().message).toBe(
      `Service "taken" is invalid: spec.clusterIPs: Invalid value: []string{"${free}"}: failed to allocate IP ${free}: provided IP is already allocated`,
    );
    const outside = await call("POST", SVC, service("outside", { clusterIP: "10.1.0.1" }));
    expect(outside.status).toBe(422);
    expect(outside.json().message).toContain(
      "the provided IP (10.1.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/28",
    );

    expect((await call("DELETE", `${SVC}/asked`)).status).toBe(200);
    const again = await call("POST", SVC, service("again", { clusterIP: free }));
    expect(again.status).toBe(201);
  });

  it("makes headless services without an IP, and keeps clusterIP immutable", async () => {
    const headless = await call("POST", SVC, service("headless", { clusterIP: "None" }));
    expect(headless.status).toBe(201);
    expect(headless.json().spec).toMatchObject({ clusterIP: "None", clusterIPs: ["None"] });

    const created = (await call("POST", SVC, service("fixed"))).json();
    // A PUT that leaves the clusterIP out keeps it, as upstream does.
    const body = JSON.parse(service("fixed", { ports: [{ port: 81 }] }));
    const kept = await call("PUT", `${SVC}/fixed`, JSON.stringify(body));
    expect(kept.status).toBe(200);
    expect(kept.json().spec.clusterIP).toBe(created.spec.clusterIP);
    const other = created.spec.clusterIP === "10.96.0.14" ? "10.96.0.13" : "10.96.0.14";
    const moved = await call(
      "PATCH",
      `${SVC}/fixed`,
      JSON.stringify({ spec: { clusterIP: other } }),
      "application/merge-patch+json",
    );
    expect(moved.status).toBe(422);
    expect(moved.json().message).toContain(
      `spec.clusterIP: Invalid value: "${other}": field is immutable`,
    );
  });

  it("allocates node ports, honours requested ones and refuses taken or out-of-range ones", async () => {
    const np = await call("POST", SVC, service("np", { type: "NodePort" }));
    expect(np.status).toBe(201);
    const port = np.json().spec.ports[0].nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(30099);
    const asked = await call(
      "POST",
      SVC,
      service("np-asked", { type: "NodePort", ports: [{ port: 80, nodePort: 30050 }] }),
    );
    expect(asked.status === 201 || port === 30050).toBe(true);
    const taken = await call(
      "POST",
      SVC,
      service("np-taken", { type: "NodePort", ports: [{ port: 80, nodePort: port }] }),
    );
    expect(taken.status).toBe(422);
    expect(taken.json().message).toBe(
      `Service "np-taken" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`,
    );
    const outside = await call(
      "POST",
      SVC,
      service("np-out", { type: "NodePort", ports: [{ port: 80, nodePort: 31000 }] }),
    );
    expect(outside.status).toBe(422);
    expect(outside.json().message).toContain(
      "provided port is not in the valid range. The range of valid ports is 30000-30099",
    );
    // Turning it into a ClusterIP service gives the node port back.
    const changed = await call(
      "PATCH",
      `${SVC}/np`,
      JSON.stringify({ spec: { type: "ClusterIP" } }),
      "application/merge-patch+json",
    );
    expect(changed.status).toBe(200);
    expect(changed.json().spec.ports[0].nodePort).toBeUndefined();
    const reuse = await call(
      "POST",
      SVC,
      service("np-reuse", { type: "NodePort", ports: [{ port: 80, nodePort: port }] }),
    );
    expect(reuse.status).toBe(201);
  });

  it("does not allocate on a dry run", async () => {
    const items = (await call("GET", SVC)).json().items as Json[];
    const used = new Set(items.map((s) => s.spec.clusterIP));
    const free = Array.from({ length: 13 }, (_, i) => `10.96.0.${i + 2}`).find(
      (ip) => !used.has(ip),
    )!;
    const dry = await call("POST", `${SVC}?dryRun=All`, service("dry", { clusterIP: free }));
    expect(dry.status).toBe(201);
    expect(dry.json().spec.clusterIP).toBe(free);
    expect((await call("GET", `${SVC}/dry`)).status).toBe(404);
    const real = await call("POST", SVC, service("real", { clusterIP: free }));
    expect(real.status).toBe(201);
  });

  it("serves kubectl expose and kubectl create service nodeport", async () => {
    await kubectlOk(
      kubeconfig,
      ["create", "--validate=false", "-f", "-"],
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image: "nginx" }] },
          },
        },
      }),
    );
    await kubectlOk(kubeconfig, ["expose", "deployment", "web", "--port=80", "--target-port=8080"]);
    const exposed = JSON.parse(await kubectlOk(kubeconfig, ["get", "svc", "web", "-o", "json"]));
    expect(exposed.spec.clusterIP).toMatch(/^10\.96\.0\.\d+$/);
    expect(exposed.spec.selector).toEqual({ app: "web" });

    const created = await kubectl(kubeconfig, [
      "create",
      "service",
      "nodeport",
      "kc-np",
      "--tcp=80:8080",
    ]);
    expect(created.stderr).toBe("");
    const np = JSON.parse(await kubectlOk(kubeconfig, ["get", "svc", "kc-np", "-o", "json"]));
    expect(np.spec.type).toBe("NodePort");
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    const table = await kubectlOk(kubeconfig, ["get", "svc", "kc-np"]);
    expect(table).toMatch(new RegExp(`80:${np.spec.ports[0].nodePort}/TCP`));
  }, 60_000);

  it("hands out distinct IPs to racing creates, until the range is full, and after a restart", async () => {
    const before = (await call("GET", SVC)).json().items as Json[];
    const used = new Set(before.map((s) => s.spec.clusterIP).filter((ip: string) => ip !== "None"));
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) => call("POST", SVC, service(`race-${i}`))),
    );
    const ips = results.filter((r) => r.status === 201).map((r) => r.json().spec.clusterIP);
    // 14 usable addresses in a /28; the kubernetes service and the earlier tests hold some.
    expect(ips.length).toBe(14 - used.size);
    expect(new Set([...ips, ...used]).size).toBe(14);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(500);
      expect(r.json().message).toContain("range is full");
    }
    // A new apiserver on the same store sees every allocation.
    await api.close();
    await start();
    const taken = await call("POST", SVC, service("after-restart", { clusterIP: ips[0] }));
    expect(taken.status).toBe(422);
    const kubernetes = (await call("GET", `${SVC}/kubernetes`)).json();
    expect(kubernetes.spec.ports[0].targetPort).toBe(Number(new URL(url).port));
  }, 60_000);
});
