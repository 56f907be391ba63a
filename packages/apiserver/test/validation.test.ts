import { describe, expect, it } from "vitest";
import {
  aggregateFieldErrors,
  applyDefaults,
  createResourceIndex,
  FieldPath,
  fieldErrorString,
  invalidStatus,
  invalidValue,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  type KubeObject,
  notSupported,
  required,
  toInvalidStatus,
  tooLong,
  validateCreate,
  validateUpdate,
} from "../src/index.js";

const index = createResourceIndex();
const def = (group: string, resource: string) => index.byResource(group, "v1", resource)!;

describe("name checks", () => {
  it.each([
    ["a", true],
    ["abc-123", true],
    ["0-a", true],
    ["-a", false],
    ["a-", false],
    ["A", false],
    ["a.b", false],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
  ])("DNS-1123 label %j: %s", (value, ok) => {
    expect(isDns1123Label(value).length === 0).toBe(ok);
  });

  it.each([
    ["example.com", true],
    ["a.b-c.d", true],
    ["a..b", false],
    [".a", false],
    ["a".repeat(253), true],
    ["a".repeat(254), false],
  ])("DNS-1123 subdomain %j: %s", (value, ok) => {
    expect(isDns1123Subdomain(value).length === 0).toBe(ok);
  });

  it("words DNS errors as upstream does", () => {
    expect(isDns1123Label("A_b")).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDns1035Label("1abc")[0]).toMatch(
      /^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/,
    );
    expect(isDns1123Label("a".repeat(64))[0]).toBe("must be no more than 63 characters");
  });

  it.each([
    ["app", true],
    ["example.com/app", true],
    ["app.kubernetes.io/name", true],
    ["My_Name.v2", true],
    ["/app", false],
    ["a/b/c", false],
    ["example.com/", false],
    ["Example.com/app", false],
    ["-app", false],
    ["a".repeat(64), false],
  ])("qualified name %j: %s", (value, ok) => {
    expect(isQualifiedName(value).length === 0).toBe(ok);
  });

  it.each([
    ["", true],
    ["web", true],
    ["my_value-1.0", true],
    ["-x", false],
    ["a b", false],
    ["x".repeat(64), false],
  ])("label value %j: %s", (value, ok) => {
    expect(isValidLabelValue(value).length === 0).toBe(ok);
  });
});

describe("field errors", () => {
  const p = FieldPath.root("spec")
    .child("containers")
    .index(0)
    .child("ports")
    .index(1)
    .child("containerPort");
  it("prints paths as upstream does", () => {
    expect(p.toString()).toBe("spec.containers[0].ports[1].containerPort");
    expect(FieldPath.root("metadata", "labels").key("app").toString()).toBe("metadata.labels[app]");
  });
  it.each([
    [required(p), "spec.containers[0].ports[1].containerPort: Required value"],
    [
      invalidValue(p, 70000, "must be between 1 and 65535, inclusive"),
      `${p}: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ],
    [
      notSupported(FieldPath.root("spec", "restartPolicy"), "Sometimes", [
        "Always",
        "OnFailure",
        "Never",
      ]),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [
      tooLong(FieldPath.root("metadata", "annotations"), "", 262144),
      "metadata.annotations: Too long: must have at most 262144 bytes",
    ],
  ])("%#", (err, text) => {
    expect(fieldErrorString(err)).toBe(text);
  });

  it("aggregates one error bare and several in brackets, without repeats", () => {
    const a = required(FieldPath.root("a"));
    const b = required(FieldPath.root("b"));
    expect(aggregateFieldErrors([a])).toBe("a: Required value");
    expect(aggregateFieldErrors([a, b, a])).toBe("[a: Required value, b: Required value]");
  });

  it("builds the Invalid Status with causes", () => {
    const status = invalidStatus({ group: "apps", kind: "Deployment" }, "x", [
      invalidValue(FieldPath.root("spec", "replicas"), -1, "must be greater than or equal to 0"),
    ]);
    expect(status).toMatchObject({
      code: 422,
      reason: "Invalid",
      message:
        'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: {
        name: "x",
        group: "apps",
        kind: "Deployment",
        causes: [
          {
            reason: "FieldValueInvalid",
            message: "Invalid value: -1: must be greater than or equal to 0",
            field: "spec.replicas",
          },
        ],
      },
    });
  });
});

const pod = (
  spec: Record<string, unknown>,
  meta: Record<string, unknown> = { name: "p", namespace: "default" },
): KubeObject =>
  applyDefaults(def("", "pods"), { apiVersion: "v1", kind: "Pod", metadata: meta, spec });

const messages = (errs: ReturnType<typeof validateCreate>): string[] => errs.map(fieldErrorString);

describe("validateCreate", () => {
  const pods = def("", "pods");

  it("accepts a minimal pod", () => {
    expect(validateCreate(pods, pod({ containers: [{ name: "c", image: "busybox" }] }))).toEqual(
      [],
    );
  });

  it("requires containers", () => {
    expect(messages(validateCreate(pods, pod({ containers: [] })))).toEqual([
      "spec.containers: Required value",
    ]);
  });

  it("checks container names, images and ports", () => {
    const errs = messages(
      validateCreate(
        pods,
        pod({
          containers: [
            {
              name: "c",
              image: "busybox",
              ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: "HTTP" }],
            },
            { name: "c", image: "" },
            { name: "Bad_Name", image: "x" },
          ],
        }),
      ),
    );
    expect(errs).toContain(
      "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    );
    expect(errs).toContain(
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    );
    expect(errs).toContain('spec.containers[1].name: Duplicate value: "c"');
    expect(errs).toContain("spec.containers[1].image: Required value");
    expect(
      errs.some((e) =>
        e.startsWith(
          'spec.containers[2].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label',
        ),
      ),
    ).toBe(true);
  });

  it("checks restartPolicy", () => {
    expect(
      messages(
        validateCreate(
          pods,
          pod({ containers: [{ name: "c", image: "x" }], restartPolicy: "Sometimes" }),
        ),
      ),
    ).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it("checks metadata: name, namespace, labels", () => {
    expect(
      messages(
        validateCreate(
          pods,
          pod({ containers: [{ name: "c", image: "x" }] }, { namespace: "default" }),
        ),
      ),
    ).toEqual(["metadata.name: Required value: name or generateName is required"]);
    expect(
      messages(
        validateCreate(pods, pod({ containers: [{ name: "c", image: "x" }] }, { name: "p" })),
      ),
    ).toEqual(["metadata.namespace: Required value"]);
    const labelled = pod(
      { containers: [{ name: "c", image: "x" }] },
      { name: "p", namespace: "d", labels: { "bad key!": "v" } },
    );
    expect(messages(validateCreate(pods, labelled))[0]).toMatch(
      /^metadata.labels: Invalid value: "bad key!": name part must consist/,
    );
    const nodes = def("", "nodes");
    expect(messages(validateCreate(nodes, { metadata: { name: "n", namespace: "x" } }))).toEqual([
      "metadata.namespace: Forbidden: not allowed on this type",
    ]);
  });

  it("allows a generateName with a trailing dash", () => {
    expect(
      validateCreate(
        pods,
        pod({ containers: [{ name: "c", image: "x" }] }, { generateName: "web-", namespace: "d" }),
      ),
    ).toEqual([]);
  });

  it("uses each resource's name rule", () => {
    const services = def("", "services");
    expect(
      messages(validateCreate(services, { metadata: { name: "1svc", namespace: "d" } }))[0],
    ).toMatch(/^metadata.name: Invalid value: "1svc": a DNS-1035 label/);
    expect(
      validateCreate(def("", "configmaps"), { metadata: { name: "a.b.c", namespace: "d" } }),
    ).toEqual([]);
    expect(
      messages(validateCreate(def("", "namespaces"), { metadata: { name: "a.b" } }))[0],
    ).toMatch(/RFC 1123 label/);
    expect(
      validateCreate(def("rbac.authorization.k8s.io", "clusterroles"), {
        metadata: { name: "system:admin" },
      }),
    ).toEqual([]);
    expect(
      messages(
        validateCreate(def("rbac.authorization.k8s.io", "clusterroles"), {
          metadata: { name: "a/b" },
        }),
      ),
    ).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
  });

  it("rejects a deployment whose selector does not match its template", () => {
    const deployments = def("apps", "deployments");
    const deployment = applyDefaults(deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", namespace: "d" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { containers: [{ name: "c", image: "nginx" }] },
        },
      },
    });
    const errs = validateCreate(deployments, deployment);
    expect(toInvalidStatus(deployments, deployment, errs)?.message).toBe(
      'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`',
    );
  });

  it("rejects an empty or missing deployment selector and a non-Always restart policy", () => {
    const deployments = def("apps", "deployments");
    const base = {
      metadata: { name: "x", namespace: "d" },
      spec: {
        template: {
          metadata: { labels: { a: "b" } },
          spec: { containers: [{ name: "c", image: "i" }], restartPolicy: "Never" },
        },
      },
    };
    const errs = messages(validateCreate(deployments, base));
    expect(errs).toContain("spec.selector: Required value");
    expect(errs).toContain(
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
    const empty = messages(
      validateCreate(deployments, { ...base, spec: { ...base.spec, selector: {} } }),
    );
    expect(empty[0]).toMatch(
      /^spec.selector: Invalid value: .*: empty selector is invalid for deployment$/,
    );
  });

  it("requires a job's pods to restart OnFailure or Never", () => {
    const jobs = def("batch", "jobs");
    const job = applyDefaults(jobs, {
      metadata: { name: "j", namespace: "d" },
      spec: { template: { spec: { containers: [{ name: "c", image: "i" }] } } },
    });
    expect(messages(validateCreate(jobs, job))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it("limits the total size of annotations", () => {
    const errs = validateCreate(def("", "configmaps"), {
      metadata: { name: "c", namespace: "d", annotations: { big: "x".repeat(262144) } },
    });
    expect(messages(errs)).toEqual([
      "metadata.annotations: Too long: must have at most 262144 bytes",
    ]);
  });
});

describe("validateUpdate", () => {
  const pods = def("", "pods");
  const old = pod(
    { containers: [{ name: "c", image: "busybox:1" }] },
    { name: "p", namespace: "d", uid: "u1" },
  );

  it("allows changing a container image", () => {
    const next = structuredClone(old);
    (next.spec as { containers: { image: string }[] }).containers[0]!.image = "busybox:2";
    expect(validateUpdate(pods, next, old)).toEqual([]);
  });

  it("forbids other pod spec changes", () => {
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).restartPolicy = "Never";
    const errs = messages(validateUpdate(pods, next, old));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
    );
  });

  it("allows adding tolerations but not removing them", () => {
    const withOne = structuredClone(old);
    (withOne.spec as Record<string, unknown>).tolerations = [{ key: "a", operator: "Exists" }];
    const withTwo = structuredClone(withOne);
    (withTwo.spec as Record<string, unknown>).tolerations = [
      { key: "a", operator: "Exists" },
      { key: "b", operator: "Exists" },
    ];
    expect(validateUpdate(pods, withTwo, withOne)).toEqual([]);
    expect(validateUpdate(pods, old, withOne)).toHaveLength(1);
  });

  it("keeps name and uid immutable", () => {
    const next = structuredClone(old);
    next.metadata!.uid = "u2";
    expect(messages(validateUpdate(pods, next, old))).toEqual([
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  it("keeps a deployment's selector immutable", () => {
    const deployments = def("apps", "deployments");
    const mk = (app: string): KubeObject =>
      applyDefaults(deployments, {
        metadata: { name: "x", namespace: "d" },
        spec: {
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: { containers: [{ name: "c", image: "i" }] },
          },
        },
      });
    expect(messages(validateUpdate(deployments, mk("b"), mk("a")))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable',
    ]);
  });

  it("refuses new finalizers once deletion has begun", () => {
    const deleting = structuredClone(old);
    deleting.metadata = {
      ...deleting.metadata,
      deletionTimestamp: "2026-01-01T00:00:00Z",
      finalizers: ["a"],
    };
    const next = structuredClone(deleting);
    next.metadata!.finalizers = ["a", "b"];
    expect(messages(validateUpdate(pods, next, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b"}',
    ]);
    next.metadata!.finalizers = [];
    expect(validateUpdate(pods, next, deleting)).toEqual([]);
  });
});
