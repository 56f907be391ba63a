import { describe, expect, it } from "vitest";
import { createObjectIndexer, NAMESPACE_INDEX } from "../../src/cache/indexer.js";
import {
  DeletedFinalStateUnknown,
  deletionHandlingKeyFunc,
  metaNamespaceKeyFunc,
  splitMetaNamespaceKey,
} from "../../src/cache/keys.js";
import { createLister } from "../../src/cache/lister.js";
import type { KubeObject } from "../../src/meta/types.js";
import { pod } from "../support/scripted-lister-watcher.js";

const byNode = (obj: KubeObject): string[] => {
  const node = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  return node ? [node] : [];
};

describe("keys", () => {
  it("keys namespaced objects ns/name and cluster objects by name, and splits them back", () => {
    expect(metaNamespaceKeyFunc(pod("a", "1"))).toBe("default/a");
    expect(metaNamespaceKeyFunc({ metadata: { name: "node-1" } })).toBe("node-1");
    expect(splitMetaNamespaceKey("default/a")).toEqual({ namespace: "default", name: "a" });
    expect(splitMetaNamespaceKey("node-1")).toEqual({ namespace: "", name: "node-1" });
    expect(() => splitMetaNamespaceKey("a/b/c")).toThrow(/unexpected/);
    expect(() => metaNamespaceKeyFunc({ metadata: {} })).toThrow(/no metadata.name/);
    expect(deletionHandlingKeyFunc(new DeletedFinalStateUnknown("x/y", pod("y", "1")))).toBe("x/y");
  });
});

describe("Indexer", () => {
  it("keeps the namespace index and custom indices in step with writes", () => {
    const indexer = createObjectIndexer({ byNode });
    const a = { ...pod("a", "1", {}, "ns1"), spec: { nodeName: "n1" } };
    const b = { ...pod("b", "1", {}, "ns2"), spec: { nodeName: "n1" } };
    indexer.add(a);
    indexer.add(b);
    expect(indexer.byIndex(NAMESPACE_INDEX, "ns1")).toEqual([a]);
    expect(indexer.indexKeys("byNode", "n1").sort()).toEqual(["ns1/a", "ns2/b"]);
    expect(indexer.index("byNode", a).length).toBe(2);

    const movedB = { ...b, spec: { nodeName: "n2" } };
    indexer.update(movedB);
    expect(indexer.byIndex("byNode", "n1")).toEqual([a]);
    expect(indexer.byIndex("byNode", "n2")).toEqual([movedB]);
    expect(indexer.listIndexFuncValues("byNode").sort()).toEqual(["n1", "n2"]);

    indexer.delete(a);
    expect(indexer.byIndex("byNode", "n1")).toEqual([]);
    expect(indexer.listIndexFuncValues("byNode")).toEqual(["n2"]);
    expect(indexer.getByKey("ns1/a")).toBeUndefined();
    expect(() => indexer.byIndex("nope", "x")).toThrow(/does not exist/);
  });

  it("indexes existing objects when an indexer is added later, and replace rebuilds", () => {
    const indexer = createObjectIndexer();
    indexer.add({ ...pod("a", "1"), spec: { nodeName: "n1" } });
    indexer.addIndexers({ byNode });
    expect(indexer.indexKeys("byNode", "n1")).toEqual(["default/a"]);
    expect(() => indexer.addIndexers({ byNode })).toThrow(/already exists/);
    indexer.replace([{ ...pod("z", "2"), spec: { nodeName: "n9" } }]);
    expect(indexer.listKeys()).toEqual(["default/z"]);
    expect(indexer.listIndexFuncValues("byNode")).toEqual(["n9"]);
  });
});

describe("Lister", () => {
  it("lists by namespace and label selector and gets by name", () => {
    const indexer = createObjectIndexer();
    indexer.add(pod("web-1", "1", { app: "web", tier: "front" }, "prod"));
    indexer.add(pod("web-2", "1", { app: "web" }, "dev"));
    indexer.add(pod("db-1", "1", { app: "db" }, "prod"));
    const lister = createLister(indexer);
    const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata?.name ?? "").sort();
    expect(names(lister.list("app=web"))).toEqual(["web-1", "web-2"]);
    expect(names(lister.namespace("prod").list())).toEqual(["db-1", "web-1"]);
    expect(names(lister.namespace("prod").list("app in (web,db),!tier"))).toEqual(["db-1"]);
    expect(lister.namespace("dev").get("web-2")?.metadata?.name).toBe("web-2");
    expect(lister.namespace("dev").get("web-1")).toBeUndefined();
  });
});
