import { describe, expect, it } from "vitest";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  BUILTIN_RESOURCES,
  createResourceIndex,
  parseStorageKey,
  storageKey,
  storageKeyPrefix,
  storageVersionHash,
} from "../src/index.js";

const index = createResourceIndex();

describe("the resource catalogue", () => {
  it.each([
    ["", "namespaces", "Namespace", false, ["ns"]],
    ["", "pods", "Pod", true, ["po"]],
    ["", "services", "Service", true, ["svc"]],
    ["", "nodes", "Node", false, ["no"]],
    ["", "persistentvolumes", "PersistentVolume", false, ["pv"]],
    ["apps", "deployments", "Deployment", true, ["deploy"]],
    ["batch", "cronjobs", "CronJob", true, ["cj"]],
    ["rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, []],
    ["storage.k8s.io", "storageclasses", "StorageClass", false, ["sc"]],
    [
      "apiextensions.k8s.io",
      "customresourcedefinitions",
      "CustomResourceDefinition",
      false,
      ["crd", "crds"],
    ],
  ] as const)("%s/%s", (group, resource, kind, namespaced, shortNames) => {
    const def = index.byResource(group, "v1", resource);
    expect(def).toMatchObject({ kind, namespaced, shortNames });
    expect(index.byKind(group, "v1", kind)).toBe(def);
  });

  it("serves every resource the issue lists", () => {
    expect(BUILTIN_RESOURCES).toHaveLength(29);
  });

  it("puts the workloads in the `all` category", () => {
    const all = BUILTIN_RESOURCES.filter((d) => d.categories.includes("all")).map(
      (d) => d.resource,
    );
    expect(all.sort()).toEqual(
      [
        "cronjobs",
        "daemonsets",
        "deployments",
        "jobs",
        "pods",
        "replicasets",
        "replicationcontrollers",
        "services",
        "statefulsets",
      ].sort(),
    );
  });

  it("resolves names users type", () => {
    expect(index.resolve("po").map((d) => d.resource)).toEqual(["pods"]);
    expect(index.resolve("Deployment").map((d) => d.resource)).toEqual(["deployments"]);
    expect(index.resolve("crds").map((d) => d.resource)).toEqual(["customresourcedefinitions"]);
    expect(index.resolve("nothing")).toEqual([]);
  });

  it("knows the subresources", () => {
    const pods = index.byResource("", "v1", "pods")!;
    expect(pods.subresources.map((s) => s.name)).toEqual([
      "status",
      "binding",
      "eviction",
      "log",
      "exec",
      "attach",
    ]);
    expect(
      index.subresource(index.byResource("apps", "v1", "deployments")!, "scale"),
    ).toMatchObject({
      kind: "Scale",
      group: "autoscaling",
      version: "v1",
    });
  });

  it("refuses a resource defined twice", () => {
    const pods = index.byResource("", "v1", "pods")!;
    expect(() => createResourceIndex([pods, pods])).toThrow(/defined twice/);
  });
});

describe("storage keys", () => {
  const pods = index.byResource("", "v1", "pods")!;
  const deployments = index.byResource("apps", "v1", "deployments")!;
  const nodes = index.byResource("", "v1", "nodes")!;

  it("lays keys out as /registry/<group>/<resource>/<namespace>/<name>", () => {
    expect(storageKey(pods, "default", "web")).toBe("/registry/core/pods/default/web");
    expect(storageKey(deployments, "default", "web")).toBe(
      "/registry/apps/deployments/default/web",
    );
    expect(storageKey(nodes, undefined, "n1")).toBe("/registry/core/nodes/n1");
    expect(storageKeyPrefix(pods)).toBe("/registry/core/pods/");
    expect(storageKeyPrefix(pods, "ns")).toBe("/registry/core/pods/ns/");
    expect(storageKey(pods, "a", "b", "/kubekit")).toBe("/kubekit/core/pods/a/b");
  });

  it("needs a namespace for namespaced resources", () => {
    expect(() => storageKey(pods, undefined, "x")).toThrow(/namespace/);
  });

  it("parses keys back", () => {
    expect(parseStorageKey(pods, "/registry/core/pods/default/web")).toEqual({
      namespace: "default",
      name: "web",
    });
    expect(parseStorageKey(nodes, "/registry/core/nodes/n1")).toEqual({ name: "n1" });
    expect(parseStorageKey(pods, "/registry/apps/deployments/default/web")).toBeUndefined();
    expect(parseStorageKey(pods, "/registry/core/pods/default")).toBeUndefined();
  });
});

describe("discovery documents", () => {
  it("GET /api", () => {
    expect(apiVersions("10.0.0.1:6443")).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.1:6443" }],
    });
  });

  it("GET /apis lists every named group with its preferred version", () => {
    const list = apiGroupList(index);
    expect(list.kind).toBe("APIGroupList");
    expect(list.groups.map((g) => g.name)).toEqual([
      "apps",
      "batch",
      "discovery.k8s.io",
      "coordination.k8s.io",
      "rbac.authorization.k8s.io",
      "storage.k8s.io",
      "apiextensions.k8s.io",
    ]);
    expect(list.groups[0]).toEqual({
      name: "apps",
      versions: [{ groupVersion: "apps/v1", version: "v1" }],
      preferredVersion: { groupVersion: "apps/v1", version: "v1" },
    });
    expect(apiGroup(index, "batch")).toMatchObject({ kind: "APIGroup", name: "batch" });
    expect(apiGroup(index, "nope")).toBeUndefined();
  });

  it("GET /api/v1 lists resources and subresources", () => {
    const list = apiResourceList(index, "", "v1")!;
    expect(list.kind).toBe("APIResourceList");
    expect(list.groupVersion).toBe("v1");
    expect(list.apiVersion).toBeUndefined();
    const pods = list.resources.find((r) => r.name === "pods");
    expect(pods).toMatchObject({
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(list.resources.find((r) => r.name === "pods/eviction")).toEqual({
      name: "pods/eviction",
      singularName: "",
      namespaced: true,
      group: "policy",
      version: "v1",
      kind: "Eviction",
      verbs: ["create"],
    });
  });

  it("GET /apis/apps/v1 carries apiVersion and scale subresources", () => {
    const list = apiResourceList(index, "apps", "v1")!;
    expect(list).toMatchObject({
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: "apps/v1",
    });
    expect(list.resources.map((r) => r.name)).toContain("deployments/scale");
    expect(apiResourceList(index, "apps", "v2")).toBeUndefined();
  });

  it("hashes storage versions deterministically and per kind", () => {
    const a = storageVersionHash("", "v1", "Pod");
    expect(a).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(storageVersionHash("", "v1", "Pod")).toBe(a);
    expect(storageVersionHash("", "v1", "Service")).not.toBe(a);
  });

  it("aggregated discovery v2 for /api and /apis", () => {
    const legacy = aggregatedDiscovery(index, true);
    expect(legacy).toMatchObject({
      kind: "APIGroupDiscoveryList",
      apiVersion: "apidiscovery.k8s.io/v2",
    });
    expect(legacy.items.map((g) => g.metadata)).toEqual([{ creationTimestamp: null }]);
    const pods = legacy.items[0]!.versions[0]!.resources.find((r) => r.resource === "pods")!;
    expect(pods).toMatchObject({
      responseKind: { group: "", version: "v1", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      shortNames: ["po"],
    });
    expect(pods.subresources?.find((s) => s.subresource === "eviction")).toEqual({
      subresource: "eviction",
      responseKind: { group: "policy", version: "v1", kind: "Eviction" },
      verbs: ["create"],
    });
    const named = aggregatedDiscovery(index, false);
    expect(named.items.map((g) => g.metadata.name)).not.toContain("");
    const nodes = legacy.items[0]!.versions[0]!.resources.find((r) => r.resource === "nodes")!;
    expect(nodes.scope).toBe("Cluster");
    expect(named.items.find((g) => g.metadata.name === "apps")!.versions[0]).toMatchObject({
      version: "v1",
      freshness: "Current",
    });
  });
});

describe("discovery order", () => {
  it("lists resources and subresources by name, as upstream does", () => {
    const names = apiResourceList(index, "", "v1")!.resources.map((r) => r.name);
    expect(names).toEqual([...names].sort());
    expect(names.slice(names.indexOf("namespaces"), names.indexOf("namespaces") + 3)).toEqual([
      "namespaces",
      "namespaces/finalize",
      "namespaces/status",
    ]);
    const pods = aggregatedDiscovery(index, true).items[0]!.versions[0]!.resources.find(
      (r) => r.resource === "pods",
    )!;
    expect(pods.subresources?.map((s) => s.subresource)).toEqual([
      "attach",
      "binding",
      "eviction",
      "exec",
      "log",
      "status",
    ]);
  });
});
