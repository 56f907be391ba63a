import { describe, expect, it } from "vitest";
import {
  checkFieldsSupported,
  objectFields,
  parseFieldSelector,
  supportedFields,
} from "../src/index.js";

describe("parseFieldSelector", () => {
  it.each([
    ["", []],
    ["metadata.name=x", [{ field: "metadata.name", operator: "=", value: "x" }]],
    ["metadata.name==x", [{ field: "metadata.name", operator: "=", value: "x" }]],
    ["status.phase!=Running", [{ field: "status.phase", operator: "!=", value: "Running" }]],
    [
      "spec.nodeName=n1,metadata.name=x",
      [
        { field: "metadata.name", operator: "=", value: "x" },
        { field: "spec.nodeName", operator: "=", value: "n1" },
      ],
    ],
    ["a=x\\,y", [{ field: "a", operator: "=", value: "x,y" }]],
    ["a=x\\=y\\\\", [{ field: "a", operator: "=", value: "x=y\\" }]],
    ["a=", [{ field: "a", operator: "=", value: "" }]],
  ])("parses %j", (input, requirements) => {
    const r = parseFieldSelector(input);
    expect(r.ok && r.selector.requirements).toEqual(requirements);
  });

  it.each([
    ["foo", "invalid selector: 'foo'; can't understand 'foo'"],
    ["a=b=c", "invalid field selector: unescaped character in value: ="],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
  ])("rejects %j", (input, message) => {
    expect(parseFieldSelector(input)).toEqual({ ok: false, message });
  });

  it("round-trips through its string form", () => {
    const r = parseFieldSelector("b=x\\,y,a!=z");
    expect(r.ok && r.selector.toString()).toBe("a!=z,b=x\\,y");
  });

  it("matches and pins exact names", () => {
    const r = parseFieldSelector("metadata.name=x,status.phase!=Failed");
    if (!r.ok) throw new Error(r.message);
    expect(r.selector.requiresExactMatch("metadata.name")).toBe("x");
    expect(r.selector.requiresExactMatch("status.phase")).toBeUndefined();
    expect(r.selector.matches({ "metadata.name": "x", "status.phase": "Running" })).toBe(true);
    expect(r.selector.matches({ "metadata.name": "x", "status.phase": "Failed" })).toBe(false);
    expect(r.selector.matches({ "metadata.name": "y" })).toBe(false);
  });
});

describe("selectable fields", () => {
  const pod = {
    metadata: { name: "p", namespace: "ns" },
    spec: { nodeName: "n1", restartPolicy: "Always", hostNetwork: true },
    status: { phase: "Running", podIP: "10.0.0.5" },
  };

  it("reads a pod's fields", () => {
    expect(objectFields("", "pods", pod)).toMatchObject({
      "metadata.name": "p",
      "metadata.namespace": "ns",
      "spec.nodeName": "n1",
      "spec.hostNetwork": "true",
      "status.phase": "Running",
      "status.podIP": "10.0.0.5",
      "spec.schedulerName": "",
    });
  });

  it("supports only upstream's fields per resource", () => {
    expect(supportedFields("", "configmaps")).toEqual(["metadata.name", "metadata.namespace"]);
    expect(supportedFields("", "secrets")).toContain("type");
    expect(checkFieldsSupported("", "pods", ["spec.nodeName", "status.phase"])).toBeUndefined();
    expect(checkFieldsSupported("", "configmaps", ["spec.nodeName"])).toBe(
      "field label not supported: spec.nodeName",
    );
  });
});
