import { describe, expect, it } from "vitest";
import {
  type Container,
  ContainerConfigError,
  fieldPathValue,
  type ObjectLookup,
  type Pod,
  type PodFacts,
  resolveEnv,
} from "../src/index.js";

const encoder = new TextEncoder();
const lookup: ObjectLookup = {
  configMap: (namespace, name) =>
    namespace === "ns" && name === "cm"
      ? { LEVEL: "debug", "bad key": "x", URL: "http://$(HOST)" }
      : undefined,
  secret: (namespace, name) =>
    namespace === "ns" && name === "sec" ? { password: encoder.encode("s3cret") } : undefined,
};
const facts: PodFacts = {
  nodeName: "node-a",
  hostIPs: ["192.0.2.1", "2001:db8::1"],
  podIPs: ["10.1.0.5"],
  allocatable: { cpu: "4", memory: "8Gi" },
};
function pod(container: Container): Pod {
  return {
    metadata: {
      name: "web",
      namespace: "ns",
      uid: "u-1",
      labels: { app: "web" },
      annotations: { "team.io/owner": "ops" },
    },
    spec: { containers: [container], serviceAccountName: "sa", nodeName: "node-b" },
  };
}

describe("env resolution", () => {
  it("applies envFrom first (prefixed, invalid keys skipped) then env in order with $(VAR) expansion", () => {
    const container: Container = {
      name: "c",
      image: "i",
      envFrom: [{ configMapRef: { name: "cm" }, prefix: "CM_" }, { secretRef: { name: "sec" } }],
      env: [
        { name: "HOST", value: "example" },
        { name: "GREETING", value: "level=$(CM_LEVEL) host=$(HOST) later=$(LATER) pw=$(password)" },
        { name: "LATER", value: "late" },
        { name: "CM_LEVEL", value: "info" },
      ],
    };
    const { values, invalidKeys } = resolveEnv(pod(container), container, lookup, facts);
    expect(invalidKeys).toEqual(["CM_bad key"]);
    expect(values.get("CM_URL")).toBe("http://$(HOST)"); // envFrom values are not expanded
    expect(values.get("password")).toBe("s3cret");
    expect(values.get("GREETING")).toBe("level=debug host=example later=$(LATER) pw=s3cret");
    expect(values.get("CM_LEVEL")).toBe("info"); // env overrides envFrom
    expect([...values.keys()]).toEqual([
      "CM_LEVEL",
      "CM_URL",
      "password",
      "HOST",
      "GREETING",
      "LATER",
    ]);
  });

  it.each([
    ["metadata.name", "web"],
    ["metadata.namespace", "ns"],
    ["metadata.uid", "u-1"],
    ["metadata.labels['app']", "web"],
    ["metadata.annotations['team.io/owner']", "ops"],
    ["metadata.labels['absent']", ""],
    ["spec.nodeName", "node-b"],
    ["spec.serviceAccountName", "sa"],
    ["status.hostIP", "192.0.2.1"],
    ["status.hostIPs", "192.0.2.1,2001:db8::1"],
    ["status.podIP", "10.1.0.5"],
    ["status.podIPs", "10.1.0.5"],
  ])("fieldRef %s is %j", (fieldPath, value) => {
    expect(fieldPathValue(pod({ name: "c", image: "i" }), fieldPath, facts)).toBe(value);
  });

  it("rejects an unknown field path", () => {
    expect(() => fieldPathValue(pod({ name: "c", image: "i" }), "spec.bogus", facts)).toThrow(
      ContainerConfigError,
    );
  });

  it("reads resourceFieldRef with divisors, defaulting limits to the node's allocatable", () => {
    const container: Container = {
      name: "c",
      image: "i",
      resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      env: [
        { name: "CPU_REQ", valueFrom: { resourceFieldRef: { resource: "requests.cpu" } } },
        {
          name: "CPU_REQ_M",
          valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } },
        },
        { name: "CPU_LIM", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
        {
          name: "MEM_LIM_MI",
          valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } },
        },
        { name: "MEM_REQ", valueFrom: { resourceFieldRef: { resource: "requests.memory" } } },
      ],
    };
    const { values } = resolveEnv(pod(container), container, lookup, facts);
    expect(Object.fromEntries(values)).toEqual({
      CPU_REQ: "1",
      CPU_REQ_M: "250",
      CPU_LIM: "4",
      MEM_LIM_MI: "128",
      MEM_REQ: "67108864",
    });
  });

  it("reads configMapKeyRef and secretKeyRef, skipping optional misses", () => {
    const container: Container = {
      name: "c",
      image: "i",
      env: [
        { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cm", key: "LEVEL" } } },
        { name: "PW", valueFrom: { secretKeyRef: { name: "sec", key: "password" } } },
        { name: "OPT", valueFrom: { configMapKeyRef: { name: "nope", key: "x", optional: true } } },
        {
          name: "OPT2",
          valueFrom: { secretKeyRef: { name: "sec", key: "nokey", optional: true } },
        },
      ],
    };
    const { values } = resolveEnv(pod(container), container, lookup, facts);
    expect(Object.fromEntries(values)).toEqual({ LEVEL: "debug", PW: "s3cret" });
  });

  it.each([
    [{ configMapKeyRef: { name: "nope", key: "x" } }, 'configmap "nope" not found'],
    [{ configMapKeyRef: { name: "cm", key: "x" } }, "couldn't find key x in ConfigMap ns/cm"],
    [{ secretKeyRef: { name: "nope", key: "x" } }, 'secret "nope" not found'],
    [{ secretKeyRef: { name: "sec", key: "x" } }, "couldn't find key x in Secret ns/sec"],
  ])("a missing required source is a config error: %j", (valueFrom, message) => {
    const container: Container = { name: "c", image: "i", env: [{ name: "X", valueFrom }] };
    expect(() => resolveEnv(pod(container), container, lookup, facts)).toThrow(
      new ContainerConfigError(message),
    );
  });
});
