import { describe, expect, it } from "vitest";
import {
  getControllerOf,
  isControlledBy,
  newControllerRef,
} from "../../src/meta/owner-references.js";

const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-1", uid: "u-rs" } };

describe("owner references", () => {
  it("builds a controller reference and recognises the controller by uid", () => {
    const ref = newControllerRef(rs);
    expect(ref).toEqual({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "web-1",
      uid: "u-rs",
      controller: true,
      blockOwnerDeletion: true,
    });
    const pod = {
      metadata: {
        name: "p",
        ownerReferences: [{ ...ref, controller: false, uid: "other" }, ref],
      },
    };
    expect(getControllerOf(pod)?.uid).toBe("u-rs");
    expect(isControlledBy(pod, rs)).toBe(true);
    expect(isControlledBy(pod, { metadata: { uid: "other" } })).toBe(false);
    expect(getControllerOf({ metadata: {} })).toBeUndefined();
    expect(() => newControllerRef({ metadata: { name: "x" } })).toThrow(/needs apiVersion/);
  });
});
