import { describe, expect, it } from "vitest";
import {
  blockingDependents,
  decideDependent,
  type GraphNode,
  OwnerGraph,
  type OwnerState,
} from "../../src/garbagecollector/index.js";

const cm = { group: "", version: "v1", resource: "configmaps", namespaced: true };
const node = (uid: string, owners: string[] = [], extra: Partial<GraphNode> = {}): GraphNode => ({
  uid,
  resource: cm,
  namespace: "default",
  name: uid,
  ownerReferences: owners.map((o) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    name: o,
    uid: o,
    blockOwnerDeletion: true,
  })),
  finalizers: [],
  ...extra,
});
const states = (entries: [string, OwnerState][]) => new Map(entries);

describe("decideDependent", () => {
  it("keeps a dependent while any owner is solid, dropping references to gone owners", () => {
    expect(decideDependent(node("d", ["a"]), states([["a", "solid"]]), false)).toEqual({
      action: "none",
    });
    expect(
      decideDependent(
        node("d", ["a", "b", "c"]),
        states([
          ["a", "solid"],
          ["b", "dangling"],
          ["c", "waitingForDependentsDeletion"],
        ]),
        false,
      ),
    ).toEqual({ action: "removeOwnerReferences", uids: ["b", "c"] });
  });

  it("deletes in the background when every owner is gone", () => {
    expect(
      decideDependent(
        node("d", ["a", "b"]),
        states([
          ["a", "dangling"],
          ["b", "dangling"],
        ]),
        true,
      ),
    ).toEqual({
      action: "delete",
      propagationPolicy: "Background",
    });
  });

  it("deletes in the foreground when an owner waits and the dependent has dependents of its own", () => {
    const waiting = states([["a", "waitingForDependentsDeletion"]]);
    expect(decideDependent(node("d", ["a"]), waiting, true)).toEqual({
      action: "delete",
      propagationPolicy: "Foreground",
    });
    expect(decideDependent(node("d", ["a"]), waiting, false)).toEqual({
      action: "delete",
      propagationPolicy: "Background",
    });
  });

  it("honours the dependent's own orphan finalizer", () => {
    expect(
      decideDependent(
        node("d", ["a"], { finalizers: ["orphan"] }),
        states([["a", "dangling"]]),
        false,
      ),
    ).toEqual({ action: "delete", propagationPolicy: "Orphan" });
  });
});

describe("blockingDependents and the graph", () => {
  it("tracks dependents by owner uid and finds those blocking a foreground deletion", () => {
    const graph = new OwnerGraph();
    const owner = node("o", [], {
      deletionTimestamp: "2026-01-01T00:00:00Z",
      finalizers: ["foregroundDeletion"],
    });
    graph.upsert(owner);
    graph.upsert(node("d1", ["o"]));
    const d2 = node("d2", ["o"]);
    d2.ownerReferences[0] = { ...d2.ownerReferences[0]!, blockOwnerDeletion: false };
    graph.upsert(d2);
    expect(
      graph
        .dependentsOf("o")
        .map((n) => n.uid)
        .sort(),
    ).toEqual(["d1", "d2"]);
    expect(blockingDependents(owner, graph.dependentsOf("o")).map((n) => n.uid)).toEqual(["d1"]);
    // Updating a dependent's references moves it.
    graph.upsert(node("d1", []));
    expect(graph.dependentsOf("o").map((n) => n.uid)).toEqual(["d2"]);
    graph.remove("d2");
    expect(graph.dependentsOf("o")).toEqual([]);
    // An owner not being deleted in the foreground is blocked by nothing.
    expect(blockingDependents(node("x"), [node("y", ["x"])])).toEqual([]);
  });
});
