import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  compareQuantities,
  createResourceIndex,
  fieldErrorString,
  parseQuantity,
  podQosClass,
  validateCreate,
} from "../src/index.js";

const q = (s: string) => {
  const parsed = parseQuantity(s);
  if (!parsed) throw new Error(`did not parse: ${s}`);
  return parsed;
};

describe("parseQuantity", () => {
  it.each([
    ["1", "1000m", 0],
    ["0.5", "500m", 0],
    [".5", "500m", 0],
    ["1Ki", "1024", 0],
    ["1Gi", "1G", 1],
    ["1e3", "1k", 0],
    ["2E-3", "2m", 0],
    ["100m", "0.1", 0],
    ["1n", "0", 1],
    ["1Mi", "1048576", 0],
    ["-1", "0", -1],
    ["1.5Gi", "1536Mi", 0],
  ])("%s vs %s → %d", (a, b, expected) => {
    expect(compareQuantities(q(a), q(b))).toBe(expected);
  });

  it.each(["", "abc", "1x", "1KiB", "1.2.3", "--1", "1e", "1e99999", "Gi"])(
    "refuses %j",
    (text) => {
      expect(parseQuantity(text)).toBeUndefined();
    },
  );
});

describe("resource validation and QoS", () => {
  const index = createResourceIndex();
  const pods = index.byResource("", "v1", "pods")!;
  const pod = (resources: Record<string, unknown>) =>
    applyDefaults(pods, {
      metadata: { name: "p", namespace: "d" },
      spec: { containers: [{ name: "c", image: "x", resources }] },
    });

  it("requests may not exceed limits", () => {
    expect(validateCreate(pods, pod({ limits: { cpu: "1" }, requests: { cpu: "1000m" } }))).toEqual(
      [],
    );
    expect(
      validateCreate(pods, pod({ limits: { cpu: "1" }, requests: { cpu: "2" } })).map(
        fieldErrorString,
      ),
    ).toEqual([
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });

  it("quantities must parse and not be negative", () => {
    expect(
      validateCreate(pods, pod({ requests: { memory: "lots", cpu: "-1" } })).map(fieldErrorString),
    ).toEqual([
      `spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });

  it("compares quantities by value for the QoS class", () => {
    const spec = {
      containers: [
        {
          name: "c",
          resources: {
            limits: { cpu: "1", memory: "1Gi" },
            requests: { cpu: "1000m", memory: "1024Mi" },
          },
        },
      ],
    };
    expect(podQosClass(spec)).toBe("Guaranteed");
  });
});
