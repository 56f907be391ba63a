import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../../src/server/api-server.js";
import { BACKENDS, type Backend } from "../storage/backends.js";
import { httpsRequest, type Json } from "./https-client.js";
import { kubectlOk, writeKubeconfig } from "./kubectl.js";

const TOKEN = "dc-token";
const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const NS = "/api/v1/namespaces";

describe.each(Object.keys(BACKENDS))(
  "deletecollection, propagation and dryRun on %s",
  (backendName) => {
    let backend: Backend;
    let api: ApiServer;
    let url: string;
    let dir: TempDir;
    let kubeconfig: string;
    const call = (method: string, path: string, body?: unknown, type = "application/json") =>
      httpsRequest(url + path, api.servingCert.cert, {
        method,
        headers: { ...headers, "Content-Type": type },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const names = async (path: string) =>
      ((await call("GET", path)).json().items as Json[]).map((i) => i.metadata.name).sort();
    const cm = (ns: string, name: string, labels: Record<string, string>, extra: Json = {}) =>
      call("POST", `${NS}/${ns}/configmaps`, {
        metadata: { name, labels, ...extra },
        data: { k: "v" },
      });

    beforeAll(async () => {
      backend = await BACKENDS[backendName]!();
      dir = await makeTempDir("apiserver-deletecollection");
      api = await createApiServer({
        etcdTransport: backend.transport,
        tokens: new Map([[TOKEN, { name: "tester", uid: "1", groups: [] }]]),
      });
      url = await api.listen(0);
      kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, TOKEN);
      for (const ns of ["dc", "dc2"])
        expect((await call("POST", NS, { metadata: { name: ns } })).status).toBe(201);
    }, 60_000);

    afterAll(async () => {
      await api?.close();
      await backend?.stop();
      await dir?.remove();
    });

    it("deletes what the selector matches in the namespace, and answers the deleted list", async () => {
      for (const n of ["a", "b", "c"]) await cm("dc", n, { app: "x" });
      await cm("dc", "other", { app: "y" });
      await cm("dc2", "a", { app: "x" });
      const res = await call("DELETE", `${NS}/dc/configmaps?labelSelector=app%3Dx`);
      expect(res.status).toBe(200);
      const body = res.json();
      expect(body.kind).toBe("ConfigMapList");
      expect(body.items.map((i: Json) => i.metadata.name).sort()).toEqual(["a", "b", "c"]);
      expect(await names(`${NS}/dc/configmaps`)).toEqual(["other"]);
      expect(await names(`${NS}/dc2/configmaps`)).toEqual(["a"]);
      // A field selector works too.
      await call("DELETE", `${NS}/dc/configmaps?fieldSelector=metadata.name%3Dother`);
      expect(await names(`${NS}/dc/configmaps`)).toEqual([]);
    });

    it("honours finalizers and dryRun as single deletes do", async () => {
      await cm("dc", "held", { app: "f" }, { finalizers: ["example.com/hold"] });
      await cm("dc", "free", { app: "f" });
      const dry = await call("DELETE", `${NS}/dc/configmaps?labelSelector=app%3Df&dryRun=All`);
      expect(dry.status).toBe(200);
      expect(dry.json().items).toHaveLength(2);
      expect(await names(`${NS}/dc/configmaps`)).toEqual(["free", "held"]);
      const res = await call("DELETE", `${NS}/dc/configmaps?labelSelector=app%3Df`);
      expect(res.status).toBe(200);
      expect(await names(`${NS}/dc/configmaps`)).toEqual(["held"]);
      const held = (await call("GET", `${NS}/dc/configmaps/held`)).json();
      expect(held.metadata.deletionTimestamp).toBeTruthy();
      // Dropping the finalizer finishes the delete.
      const done = await call(
        "PATCH",
        `${NS}/dc/configmaps/held`,
        { metadata: { finalizers: null } },
        "application/merge-patch+json",
      );
      expect(done.status).toBe(200);
      expect((await call("GET", `${NS}/dc/configmaps/held`)).status).toBe(404);
    });

    it("adds the garbage collector's finalizers for Orphan and Foreground propagation", async () => {
      await cm("dc", "orphan-me", {});
      await cm("dc", "fg-me", {});
      await cm("dc", "bg-me", {});
      const orphan = await call("DELETE", `${NS}/dc/configmaps/orphan-me`, {
        kind: "DeleteOptions",
        apiVersion: "v1",
        propagationPolicy: "Orphan",
      });
      expect(orphan.status).toBe(202);
      expect(orphan.json().metadata.finalizers).toEqual(["orphan"]);
      expect(orphan.json().metadata.deletionTimestamp).toBeTruthy();
      const fg = await call("DELETE", `${NS}/dc/configmaps/fg-me?propagationPolicy=Foreground`);
      expect(fg.status).toBe(202);
      expect(fg.json().metadata.finalizers).toEqual(["foregroundDeletion"]);
      const bg = await call("DELETE", `${NS}/dc/configmaps/bg-me?propagationPolicy=Background`);
      expect(bg.status).toBe(200);
      expect((await call("GET", `${NS}/dc/configmaps/bg-me`)).status).toBe(404);
      const bad = await call("DELETE", `${NS}/dc/configmaps/orphan-me?propagationPolicy=Sideways`);
      expect(bad.status).toBe(422);
    });

    it("dry-runs every write verb without storing anything", async () => {
      const created = await call("POST", `${NS}/dc/configmaps?dryRun=All`, {
        metadata: { name: "dry" },
      });
      expect(created.status).toBe(201);
      expect(created.json().metadata.uid).toBeTruthy();
      expect((await call("GET", `${NS}/dc/configmaps/dry`)).status).toBe(404);
      await cm("dc", "wet", { v: "1" });
      const before = (await call("GET", `${NS}/dc/configmaps/wet`)).json();
      const patched = await call(
        "PATCH",
        `${NS}/dc/configmaps/wet?dryRun=All`,
        { metadata: { labels: { v: "2" } } },
        "application/merge-patch+json",
      );
      expect(patched.status).toBe(200);
      expect(patched.json().metadata.labels.v).toBe("2");
      const put = await call("PUT", `${NS}/dc/configmaps/wet?dryRun=All`, {
        ...before,
        data: { k: "changed" },
      });
      expect(put.status).toBe(200);
      expect(put.json().data.k).toBe("changed");
      const deleted = await call("DELETE", `${NS}/dc/configmaps/wet?dryRun=All`);
      expect(deleted.status).toBe(200);
      const after = (await call("GET", `${NS}/dc/configmaps/wet`)).json();
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after.data.k).toBe("v");
      expect(
        (await call("POST", `${NS}/dc/configmaps?dryRun=Some`, { metadata: { name: "x" } })).status,
      ).toBe(400);
    });

    it("refuses deletecollection across all namespaces, and frees service IPs", async () => {
      expect((await call("DELETE", "/api/v1/configmaps")).status).toBe(405);
      const svc = (name: string) => ({
        metadata: { name, labels: { tier: "svc" } },
        spec: { ports: [{ port: 80 }], clusterIP: "10.0.0.77" },
      });
      expect((await call("POST", `${NS}/dc/services`, svc("s1"))).status).toBe(201);
      expect((await call("DELETE", `${NS}/dc/services?labelSelector=tier%3Dsvc`)).status).toBe(200);
      expect((await call("POST", `${NS}/dc/services`, svc("s2"))).status).toBe(201);
    });

    it("works with kubectl delete -l and --all", async () => {
      for (const n of ["k1", "k2"]) await cm("dc2", n, { app: "k" });
      await kubectlOk(kubeconfig, ["delete", "cm", "-n", "dc2", "-l", "app=k"]);
      expect(await names(`${NS}/dc2/configmaps`)).toEqual(["a"]);
      await kubectlOk(kubeconfig, ["delete", "cm", "-n", "dc2", "--all"]);
      expect(await names(`${NS}/dc2/configmaps`)).toEqual([]);
    }, 60_000);
  },
);
