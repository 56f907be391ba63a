import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  createResourceIndex,
  fieldErrorString,
  podQosClass,
  validateCreate,
} from "../src/index.js";

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
