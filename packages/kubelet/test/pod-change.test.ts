import { describe, expect, it } from "vitest";
import { type Pod, podUpdateNeedsSync } from "../src/index.js";

const base: Pod = {
  metadata: { name: "p", namespace: "default", uid: "u1", resourceVersion: "10" },
  spec: { nodeName: "node-a", containers: [{ name: "main", image: "busybox:1.36" }] },
  status: { phase: "Pending" },
} as Pod;

function changed(edit: (pod: Pod) => void): Pod {
  const pod = structuredClone(base);
  edit(pod);
  return pod;
}

describe("podUpdateNeedsSync", () => {
  it.each([
    [
      "status only (the kubelet's own patch)",
      (p: Pod) => Object.assign(p, { status: { phase: "Running" } }),
      false,
    ],
    [
      "resourceVersion only",
      (p: Pod) => Object.assign(p.metadata, { resourceVersion: "11" }),
      false,
    ],
    [
      "managedFields only",
      (p: Pod) => Object.assign(p.metadata, { managedFields: [{ manager: "x" }] }),
      false,
    ],
    [
      "a new image",
      (p: Pod) => Object.assign(p.spec.containers[0] ?? {}, { image: "busybox:1.37" }),
      true,
    ],
    [
      "a deletion",
      (p: Pod) => Object.assign(p.metadata, { deletionTimestamp: "2026-01-01T00:00:00Z" }),
      true,
    ],
    ["a label", (p: Pod) => Object.assign(p.metadata, { labels: { app: "x" } }), true],
    ["an annotation", (p: Pod) => Object.assign(p.metadata, { annotations: { a: "b" } }), true],
  ])("%s → %s", (_what, edit, expected) => {
    expect(podUpdateNeedsSync(base, changed(edit))).toBe(expected);
  });
});
