import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  createResourceIndex,
  defaultImagePullPolicy,
  imageTag,
} from "../src/index.js";

const index = createResourceIndex();
const def = (group: string, resource: string) => index.byResource(group, "v1", resource)!;

describe("image pull policy", () => {
  it.each([
    ["nginx", "latest", "Always"],
    ["nginx:latest", "latest", "Always"],
    ["nginx:1.27", "1.27", "IfNotPresent"],
    ["localhost:5000/nginx", "latest", "Always"],
    ["localhost:5000/nginx:v2", "v2", "IfNotPresent"],
    ["nginx@sha256:abc", "", "IfNotPresent"],
    ["nginx:1.27@sha256:abc", "1.27", "IfNotPresent"],
  ])("%s", (image, tag, policy) => {
    expect(imageTag(image)).toBe(tag);
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });
});

describe("applyDefaults", () => {
  it("defaults a pod", () => {
    const input = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        containers: [
          {
            name: "c",
            image: "nginx",
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: "1" } },
            readinessProbe: { httpGet: { port: 80 } },
            env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
          },
        ],
        initContainers: [{ name: "i", image: "busybox:1.36" }],
        volumes: [{ name: "v" }, { name: "s", secret: { secretName: "x" } }],
      },
    };
    const out = applyDefaults(def("", "pods"), input);
    expect(out.spec).toMatchObject({
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      containers: [
        {
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          imagePullPolicy: "Always",
          ports: [{ containerPort: 80, protocol: "TCP" }],
          resources: { limits: { cpu: "1" }, requests: { cpu: "1" } },
          readinessProbe: {
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
            httpGet: { path: "/", scheme: "HTTP" },
          },
          env: [{ valueFrom: { fieldRef: { apiVersion: "v1" } } }],
        },
      ],
      initContainers: [{ imagePullPolicy: "IfNotPresent", terminationMessagePolicy: "File" }],
      volumes: [
        { name: "v", emptyDir: {} },
        { name: "s", secret: { secretName: "x", defaultMode: 420 } },
      ],
    });
    // The input is left alone.
    expect(input.spec).not.toHaveProperty("restartPolicy");
  });

  it("never overrides what the user set", () => {
    const out = applyDefaults(def("", "pods"), {
      spec: {
        restartPolicy: "Never",
        terminationGracePeriodSeconds: 0,
        containers: [{ name: "c", image: "nginx", imagePullPolicy: "Never" }],
      },
    });
    expect(out.spec).toMatchObject({
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 0,
      containers: [{ imagePullPolicy: "Never" }],
    });
  });

  it("defaults a service", () => {
    const out = applyDefaults(def("", "services"), {
      spec: { ports: [{ port: 80 }, { port: 53, protocol: "UDP", targetPort: "dns" }] },
    });
    expect(out.spec).toEqual({
      type: "ClusterIP",
      sessionAffinity: "None",
      internalTrafficPolicy: "Cluster",
      ports: [
        { port: 80, protocol: "TCP", targetPort: 80 },
        { port: 53, protocol: "UDP", targetPort: "dns" },
      ],
    });
    const lb = applyDefaults(def("", "services"), {
      spec: { type: "LoadBalancer", sessionAffinity: "ClientIP" },
    });
    expect(lb.spec).toMatchObject({
      externalTrafficPolicy: "Cluster",
      allocateLoadBalancerNodePorts: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    });
  });

  it("defaults a deployment and its pod template", () => {
    const out = applyDefaults(def("apps", "deployments"), {
      spec: { template: { spec: { containers: [{ name: "c", image: "x:1" }] } } },
    });
    expect(out.spec).toMatchObject({
      replicas: 1,
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        spec: { restartPolicy: "Always", containers: [{ imagePullPolicy: "IfNotPresent" }] },
      },
    });
    const recreate = applyDefaults(def("apps", "deployments"), {
      spec: { strategy: { type: "Recreate" } },
    });
    expect(recreate.spec).toMatchObject({ strategy: { type: "Recreate" } });
    expect((recreate.spec as { strategy: object }).strategy).not.toHaveProperty("rollingUpdate");
  });

  it("defaults the other workloads", () => {
    expect(applyDefaults(def("apps", "replicasets"), {}).spec).toMatchObject({ replicas: 1 });
    expect(applyDefaults(def("apps", "statefulsets"), {}).spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    });
    expect(applyDefaults(def("apps", "daemonsets"), {}).spec).toMatchObject({
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
    expect(applyDefaults(def("batch", "jobs"), {}).spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
    });
    // A work queue: parallelism without completions keeps completions unset.
    expect(
      applyDefaults(def("batch", "jobs"), { spec: { parallelism: 3 } }).spec,
    ).not.toHaveProperty("completions");
    expect(
      applyDefaults(def("batch", "cronjobs"), { spec: { schedule: "* * * * *" } }).spec,
    ).toMatchObject({
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  it("defaults a few core types", () => {
    expect(applyDefaults(def("", "secrets"), {}).type).toBe("Opaque");
    expect(
      applyDefaults(def("", "namespaces"), { metadata: { name: "team" } }).metadata?.labels,
    ).toEqual({
      "kubernetes.io/metadata.name": "team",
    });
    expect(applyDefaults(def("", "configmaps"), { data: { a: "b" } })).toEqual({
      data: { a: "b" },
    });
  });
});
