import { eventually } from "@kubekit/testkit";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Pod,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../src/server/api-server.js";
import { BACKENDS, type Backend } from "./storage/backends.js";

/**
 * The official JavaScript client, `@kubernetes/client-node`, against the
 * apiserver on each store: typed CRUD, selectors, patches, error bodies,
 * the Watch class and an informer, as controllers written for upstream
 * Kubernetes use them.
 */

const TOKEN = "client-node-token";

const pod = (name: string, labels: Record<string, string>): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }] },
});

/** The Status a failed call carried, from the client's ApiException. */
async function failureOf(
  call: Promise<unknown>,
): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
    return { code: error.code, status: body };
  }
  throw new Error("the call succeeded");
}

describe.each(Object.keys(BACKENDS))(
  "@kubernetes/client-node against the apiserver on %s",
  (backendName) => {
    let backend: Backend;
    let api: ApiServer;
    let kc: KubeConfig;
    let core: CoreV1Api;
    let apps: AppsV1Api;
    const ns = "client-node";

    beforeAll(async () => {
      backend = await BACKENDS[backendName]!();
      api = await createApiServer({
        etcdTransport: backend.transport,
        tokens: new Map([[TOKEN, { name: "admin", uid: "1", groups: ["system:masters"] }]]),
      });
      const server = await api.listen(0);
      kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          { name: "kubekit", server, caData: Buffer.from(api.servingCert.cert).toString("base64") },
        ],
        users: [{ name: "admin", token: TOKEN }],
        contexts: [{ name: "kubekit", cluster: "kubekit", user: "admin" }],
        currentContext: "kubekit",
      });
      core = kc.makeApiClient(CoreV1Api);
      apps = kc.makeApiClient(AppsV1Api);
      await core.createNamespace({ body: { metadata: { name: ns } } });
    }, 60_000);

    afterAll(async () => {
      await api?.close();
      await backend?.stop();
    });

    it("creates, reads, updates and deletes namespaces, configmaps and pods", async () => {
      const created = await core.createNamespace({
        body: { metadata: { name: "crud", labels: { team: "a" } } },
      });
      expect(created.status?.phase).toBe("Active");
      expect((await core.readNamespace({ name: "crud" })).metadata?.labels).toMatchObject({
        team: "a",
      });
      expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toContain("crud");

      const cm = await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "settings" }, data: { color: "blue" } },
      });
      expect(cm.metadata?.resourceVersion).toMatch(/^\d+$/);
      expect(cm.metadata?.creationTimestamp).toBeInstanceOf(Date);
      const replaced = await core.replaceNamespacedConfigMap({
        name: "settings",
        namespace: ns,
        body: { ...cm, data: { color: "green" } },
      });
      expect(replaced.data).toEqual({ color: "green" });
      expect(
        (await core.readNamespacedConfigMap({ name: "settings", namespace: ns })).data,
      ).toEqual({ color: "green" });

      const p = await core.createNamespacedPod({
        namespace: ns,
        body: pod("crud-pod", { app: "crud" }),
      });
      expect(p.status?.phase).toBe("Pending");
      expect(p.spec?.restartPolicy).toBe("Always"); // defaulted
      const deleted = await core.deleteNamespacedConfigMap({ name: "settings", namespace: ns });
      expect(deleted).toBeDefined();
      const gone = await failureOf(
        core.readNamespacedConfigMap({ name: "settings", namespace: ns }),
      );
      expect(gone.code).toBe(404);
    });

    it("creates, updates, scales, lists and deletes deployments through AppsV1Api", async () => {
      const body = {
        metadata: { name: "web", labels: { app: "web" } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
          },
        },
      };
      const created = await apps.createNamespacedDeployment({ namespace: ns, body });
      expect(created.spec?.strategy?.type).toBe("RollingUpdate");
      const read = await apps.readNamespacedDeployment({ name: "web", namespace: ns });
      read.spec!.replicas = 4;
      const updated = await apps.replaceNamespacedDeployment({
        name: "web",
        namespace: ns,
        body: read,
      });
      expect(updated.spec?.replicas).toBe(4);
      expect(updated.metadata?.generation).toBe(2);
      // The scale subresource: read, patched (as kubectl scale does) and replaced.
      const scale = await apps.readNamespacedDeploymentScale({ name: "web", namespace: ns });
      expect(scale).toMatchObject({
        kind: "Scale",
        spec: { replicas: 4 },
        status: { selector: "app=web" },
      });
      const patchedScale = await apps.patchNamespacedDeploymentScale(
        { name: "web", namespace: ns, body: { spec: { replicas: 5 } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      expect(patchedScale.spec?.replicas).toBe(5);
      const replacedScale = await apps.replaceNamespacedDeploymentScale({
        name: "web",
        namespace: ns,
        body: { metadata: { name: "web", namespace: ns }, spec: { replicas: 1 } },
      });
      expect(replacedScale.spec?.replicas).toBe(1);
      const afterScale = await apps.readNamespacedDeployment({ name: "web", namespace: ns });
      expect(afterScale.spec?.replicas).toBe(1);
      const negative = await failureOf(
        apps.replaceNamespacedDeploymentScale({
          name: "web",
          namespace: ns,
          body: { metadata: { name: "web" }, spec: { replicas: -1 } },
        }),
      );
      expect(negative).toMatchObject({ code: 422, status: { reason: "Invalid" } });
      const listed = await apps.listNamespacedDeployment({
        namespace: ns,
        labelSelector: "app=web",
      });
      expect(listed.items.map((d) => d.metadata?.name)).toEqual(["web"]);
      await apps.deleteNamespacedDeployment({ name: "web", namespace: ns });
      expect(
        (await failureOf(apps.readNamespacedDeployment({ name: "web", namespace: ns }))).code,
      ).toBe(404);
    });

    it("lists with label and field selectors, and pages", async () => {
      for (const [name, tier] of [
        ["sel-a", "web"],
        ["sel-b", "db"],
        ["sel-c", "web"],
      ] as const)
        await core.createNamespacedConfigMap({
          namespace: ns,
          body: { metadata: { name, labels: { tier } } },
        });
      const byLabel = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: "tier=web",
      });
      expect(byLabel.items.map((c) => c.metadata?.name)).toEqual(["sel-a", "sel-c"]);
      const byField = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: "tier",
        fieldSelector: "metadata.name!=sel-a",
      });
      expect(byField.items.map((c) => c.metadata?.name)).toEqual(["sel-b", "sel-c"]);
      const first = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: "tier",
        limit: 2,
      });
      expect(first.items).toHaveLength(2);
      expect(first.metadata?._continue).toBeTruthy();
      const rest = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: "tier",
        limit: 2,
        _continue: first.metadata?._continue,
      });
      expect(rest.items.map((c) => c.metadata?.name)).toEqual(["sel-c"]);
      const pods = await core.listPodForAllNamespaces({
        fieldSelector: `metadata.namespace=${ns}`,
      });
      expect(pods.items.every((p) => p.metadata?.namespace === ns)).toBe(true);
    });

    it("patches with JSON patch, merge patch and strategic merge patch", async () => {
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "patched" }, data: { a: "1" } },
      });
      const json = await core.patchNamespacedConfigMap({
        name: "patched",
        namespace: ns,
        body: [{ op: "add", path: "/data/b", value: "2" }],
      });
      expect(json.data).toEqual({ a: "1", b: "2" });
      const merged = await core.patchNamespacedConfigMap(
        { name: "patched", namespace: ns, body: { data: { a: null, c: "3" } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      expect(merged.data).toEqual({ b: "2", c: "3" });
      await core.createNamespacedPod({ namespace: ns, body: pod("smp", { app: "smp" }) });
      const strategic = await core.patchNamespacedPod(
        {
          name: "smp",
          namespace: ns,
          body: { spec: { containers: [{ name: "main", image: "busybox:1.37" }] } },
        },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      );
      // The container list merges by name: the command stays.
      expect(strategic.spec?.containers).toMatchObject([
        { name: "main", image: "busybox:1.37", command: ["sleep", "3600"] },
      ]);
    });

    it("answers errors with Status bodies the client reads: 404 NotFound, 409 Conflict and AlreadyExists", async () => {
      const missing = await failureOf(core.readNamespacedPod({ name: "nope", namespace: ns }));
      expect(missing).toMatchObject({
        code: 404,
        status: {
          kind: "Status",
          reason: "NotFound",
          message: 'pods "nope" not found',
          details: { name: "nope", kind: "pods" },
        },
      });
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "locked" } },
      });
      const exists = await failureOf(
        core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "locked" } } }),
      );
      expect(exists).toMatchObject({ code: 409, status: { reason: "AlreadyExists" } });
      const current = await core.readNamespacedConfigMap({ name: "locked", namespace: ns });
      await core.replaceNamespacedConfigMap({
        name: "locked",
        namespace: ns,
        body: { ...current, data: { v: "1" } },
      });
      const stale = await failureOf(
        core.replaceNamespacedConfigMap({
          name: "locked",
          namespace: ns,
          body: { ...current, data: { v: "2" } },
        }),
      );
      expect(stale).toMatchObject({ code: 409, status: { reason: "Conflict" } });
      expect(String(stale.status.message)).toContain("the object has been modified");
    });

    it("watches ADDED, MODIFIED and DELETED with the Watch class", async () => {
      const start = await core.listNamespacedConfigMap({ namespace: ns });
      const seen: [string, string][] = [];
      let ended: unknown = "still open";
      const watch = new Watch(kc);
      const controller = await watch.watch(
        `/api/v1/namespaces/${ns}/configmaps`,
        { resourceVersion: start.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type, obj: V1ConfigMap) => {
          if (type !== "BOOKMARK") seen.push([type, obj.metadata?.name ?? ""]);
        },
        (err) => {
          ended = err;
        },
      );
      try {
        await core.createNamespacedConfigMap({
          namespace: ns,
          body: { metadata: { name: "watched" } },
        });
        await core.patchNamespacedConfigMap({
          name: "watched",
          namespace: ns,
          body: [{ op: "add", path: "/data", value: { k: "v" } }],
        });
        await core.deleteNamespacedConfigMap({ name: "watched", namespace: ns });
        await eventually("the three events", async () => (seen.length >= 3 ? true : undefined));
        expect(seen).toEqual([
          ["ADDED", "watched"],
          ["MODIFIED", "watched"],
          ["DELETED", "watched"],
        ]);
        expect(ended).toBe("still open");
      } finally {
        controller.abort();
      }
    }, 30_000);

    it("runs an informer that lists, then follows the changes", async () => {
      const informerNs = "informed";
      await core.createNamespace({ body: { metadata: { name: informerNs } } });
      await core.createNamespacedConfigMap({
        namespace: informerNs,
        body: { metadata: { name: "before" } },
      });
      const informer = makeInformer<V1ConfigMap>(
        kc,
        `/api/v1/namespaces/${informerNs}/configmaps`,
        () => core.listNamespacedConfigMap({ namespace: informerNs }),
      );
      const events: string[] = [];
      informer.on("add", (obj) => events.push(`add ${obj.metadata?.name}`));
      informer.on("update", (obj) =>
        events.push(`update ${obj.metadata?.name} ${obj.data?.n ?? ""}`),
      );
      informer.on("delete", (obj) => events.push(`delete ${obj.metadata?.name}`));
      await informer.start();
      try {
        await eventually("the listed object", async () =>
          informer.get("before", informerNs) ? true : undefined,
        );
        await core.createNamespacedConfigMap({
          namespace: informerNs,
          body: { metadata: { name: "after" } },
        });
        await core.patchNamespacedConfigMap(
          { name: "before", namespace: informerNs, body: { data: { n: "1" } } },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        );
        await core.deleteNamespacedConfigMap({ name: "after", namespace: informerNs });
        await eventually("the informer to follow", async () =>
          events.includes("delete after") ? true : undefined,
        );
        expect(events).toEqual(["add before", "add after", "update before 1", "delete after"]);
        expect(informer.list(informerNs).map((c) => c.metadata?.name)).toEqual(["before"]);
        expect(informer.get("before", informerNs)?.data).toEqual({ n: "1" });
      } finally {
        await informer.stop();
      }
    }, 30_000);
  },
);
