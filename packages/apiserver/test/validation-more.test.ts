import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  createResourceIndex,
  fieldErrorString,
  isConfigMapKey,
  isValidPortName,
  validateCreate,
  validateUpdate,
} from "../src/index.js";

const index = createResourceIndex();
const services = index.byResource("", "v1", "services")!;
const configmaps = index.byResource("", "v1", "configmaps")!;

const svc = (spec: Record<string, unknown>) =>
  applyDefaults(services, { metadata: { name: "s", namespace: "d" }, spec });
const errors = (errs: ReturnType<typeof validateCreate>) => errs.map(fieldErrorString);

describe("service validation", () => {
  it("accepts ordinary services", () => {
    expect(
      validateCreate(
        services,
        svc({ selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }] }),
      ),
    ).toEqual([]);
    expect(validateCreate(services, svc({ clusterIP: "None" }))).toEqual([]);
    expect(
      validateCreate(services, svc({ type: "ExternalName", externalName: "example.com" })),
    ).toEqual([]);
  });

  it("needs ports, names for several ports, and valid numbers", () => {
    expect(errors(validateCreate(services, svc({})))).toEqual(["spec.ports: Required value"]);
    const errs = errors(
      validateCreate(
        services,
        svc({
          ports: [
            { port: 80, name: "web" },
            { port: 70000 },
            { port: 81, name: "web", protocol: "HTTP" },
          ],
        }),
      ),
    );
    expect(errs).toEqual([
      "spec.ports[1].name: Required value",
      "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
      "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
      'spec.ports[2].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[2].name: Duplicate value: "web"',
    ]);
  });

  it("checks type, externalName and node ports", () => {
    expect(errors(validateCreate(services, svc({ type: "Magic", ports: [{ port: 1 }] })))).toEqual([
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    expect(errors(validateCreate(services, svc({ type: "ExternalName" })))).toEqual([
      "spec.externalName: Required value",
    ]);
    expect(
      errors(validateCreate(services, svc({ ports: [{ port: 1, nodePort: 30000 }] }))),
    ).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });

  it("keeps clusterIP once set", () => {
    const old = svc({ clusterIP: "10.96.0.10", ports: [{ port: 53 }] });
    const next = svc({ clusterIP: "10.96.0.11", ports: [{ port: 53 }] });
    expect(errors(validateUpdate(services, next, old))).toEqual([
      'spec.clusterIP: Invalid value: "10.96.0.11": field is immutable',
    ]);
  });

  it.each([
    ["http", true],
    ["dns-tcp", true],
    ["8080", false],
    ["a--b", false],
    ["-ab", false],
    ["averyveryverylongname", false],
    ["Http", false],
  ])("port name %j: %s", (name, ok) => {
    expect(isValidPortName(name).length === 0).toBe(ok);
  });
});

describe("configmap and secret data", () => {
  it.each([
    ["config.yaml", true],
    ["KEY_NAME", true],
    [".env", true],
    ["..data", false],
    [".", false],
    ["a/b", false],
  ])("key %j: %s", (key, ok) => {
    expect(isConfigMapKey(key).length === 0).toBe(ok);
  });

  it("rejects bad keys, keys in both maps, and too much data", () => {
    const cm = {
      metadata: { name: "c", namespace: "d" },
      data: { "a/b": "x", dup: "1" },
      binaryData: { dup: "MQ==" },
    };
    const errs = errors(validateCreate(configmaps, cm));
    expect(errs[0]).toMatch(
      /^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of alphanumeric characters/,
    );
    expect(errs).toContain(
      'binaryData[dup]: Invalid value: "dup": duplicate of key present in data',
    );
    const big = { metadata: { name: "c", namespace: "d" }, data: { big: "x".repeat(1024 * 1024) } };
    expect(errors(validateCreate(configmaps, big))).toEqual([
      ": Too long: must have at most 1048576 bytes",
    ]);
    const secrets = index.byResource("", "v1", "secrets")!;
    expect(errors(validateCreate(secrets, { ...big, type: "Opaque" }))).toEqual([
      "data: Too long: must have at most 1048576 bytes",
    ]);
  });
});

describe("pod volume mounts and env", () => {
  const pods = index.byResource("", "v1", "pods")!;
  it("needs mounts to name a volume and use unique paths", () => {
    const pod = applyDefaults(pods, {
      metadata: { name: "p", namespace: "d" },
      spec: {
        volumes: [{ name: "data" }],
        containers: [
          {
            name: "c",
            image: "x",
            volumeMounts: [
              { name: "data", mountPath: "/data" },
              { name: "missing", mountPath: "/data" },
              { name: "data" },
            ],
            env: [{ value: "no name" }],
          },
        ],
      },
    });
    expect(errors(validateCreate(pods, pod))).toEqual([
      'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      "spec.containers[0].volumeMounts[2].mountPath: Required value",
      "spec.containers[0].env[0].name: Required value",
    ]);
  });
});
