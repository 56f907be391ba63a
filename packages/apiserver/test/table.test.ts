import { describe, expect, it } from "vitest";
import { createResourceIndex, humanDuration, type KubeObject, toTable } from "../src/index.js";

const index = createResourceIndex();
const def = (group: string, resource: string) => index.byResource(group, "v1", resource)!;
const now = new Date("2026-01-10T12:00:00Z");
const created = "2026-01-10T11:55:00Z";

describe("humanDuration", () => {
  it.each([
    [-5_000, "<invalid>"],
    [-500, "0s"],
    [0, "0s"],
    [59_000, "59s"],
    [119_000, "119s"],
    [120_000, "2m"],
    [150_000, "2m30s"],
    [10 * 60_000, "10m"],
    [179 * 60_000, "179m"],
    [3 * 3_600_000, "3h"],
    [5 * 3_600_000 + 12 * 60_000, "5h12m"],
    [20 * 3_600_000, "20h"],
    [52 * 3_600_000, "2d4h"],
    [3 * 86_400_000, "3d"],
    [120 * 86_400_000, "120d"],
    [(2 * 365 + 30) * 86_400_000, "2y30d"],
    [10 * 365 * 86_400_000, "10y"],
  ])("%d ms → %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

const podWith = (status: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "d", creationTimestamp: created, ...(extra.metadata ?? {}) },
  spec: {
    nodeName: "n1",
    containers: [{ name: "a" }, { name: "b" }],
    ...((extra.spec as object) ?? {}),
  },
  status,
});

const cells = (objs: KubeObject[], group: string, resource: string) =>
  toTable(def(group, resource), objs, { now }).rows.map((r) => r.cells);

describe("pod rows", () => {
  const running = { state: { running: {} }, ready: true, restartCount: 0 };
  it.each([
    [
      "running",
      podWith({ phase: "Running", podIP: "10.1.0.5", containerStatuses: [running, running] }),
      ["web", "2/2", "Running", "0", "5m", "10.1.0.5", "n1", "<none>", "<none>"],
    ],
    [
      "pending",
      podWith({ phase: "Pending" }, { spec: { nodeName: "" } }),
      ["web", "0/2", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
    ],
    [
      "crash looping",
      podWith({
        phase: "Running",
        containerStatuses: [
          {
            state: { waiting: { reason: "CrashLoopBackOff" } },
            restartCount: 4,
            lastState: { terminated: { finishedAt: "2026-01-10T11:59:00Z" } },
          },
          running,
        ],
      }),
      ["web", "1/2", "CrashLoopBackOff", "4 (60s ago)"],
    ],
    [
      "init waiting",
      podWith(
        {
          phase: "Pending",
          initContainerStatuses: [{ state: { waiting: { reason: "PodInitializing" } } }],
        },
        { spec: { initContainers: [{ name: "i" }] } },
      ),
      ["web", "0/2", "Init:0/1"],
    ],
    [
      "init failed",
      podWith(
        { phase: "Pending", initContainerStatuses: [{ state: { terminated: { exitCode: 2 } } }] },
        { spec: { initContainers: [{ name: "i" }] } },
      ),
      ["web", "0/2", "Init:ExitCode:2"],
    ],
    [
      "completed",
      podWith({
        phase: "Succeeded",
        containerStatuses: [{ state: { terminated: { exitCode: 0, reason: "Completed" } } }],
      }),
      ["web", "0/2", "Completed"],
    ],
    [
      "killed by signal",
      podWith({
        phase: "Failed",
        containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }],
      }),
      ["web", "0/2", "Signal:9"],
    ],
    [
      "terminating",
      podWith(
        { phase: "Running", containerStatuses: [running, running] },
        { metadata: { name: "web", deletionTimestamp: "2026-01-10T12:00:30Z" } as never },
      ),
      ["web", "2/2", "Terminating"],
    ],
  ])("%s", (_, obj, expected) => {
    expect(cells([obj], "", "pods")[0]!.slice(0, expected.length)).toEqual(expected);
  });

  it("lists the columns kubectl shows, wide ones at priority 1", () => {
    const table = toTable(def("", "pods"), [], { now });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0],
      ["Ready", 0],
      ["Status", 0],
      ["Restarts", 0],
      ["Age", 0],
      ["IP", 1],
      ["Node", 1],
      ["Nominated Node", 1],
      ["Readiness Gates", 1],
    ]);
    expect(table.columnDefinitions[0]!.format).toBe("name");
  });

  it("carries object metadata, the whole object, or nothing", () => {
    const pod = podWith({ phase: "Succeeded" });
    const meta = toTable(def("", "pods"), [pod], { now, resourceVersion: "42" });
    expect(meta).toMatchObject({
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: "42" },
    });
    expect(meta.rows[0]!.object).toEqual({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: pod.metadata,
    });
    expect(meta.rows[0]!.conditions).toMatchObject([{ type: "Completed", status: "True" }]);
    expect(toTable(def("", "pods"), [pod], { now, includeObject: "Object" }).rows[0]!.object).toBe(
      pod,
    );
    expect(
      toTable(def("", "pods"), [pod], { now, includeObject: "None" }).rows[0],
    ).not.toHaveProperty("object");
    expect(toTable(def("", "pods"), [pod], { now, noHeaders: true }).columnDefinitions).toEqual([]);
  });
});

describe("other printers", () => {
  const template = {
    spec: {
      containers: [
        { name: "nginx", image: "nginx:1" },
        { name: "log", image: "busybox" },
      ],
    },
  };

  it("deployments", () => {
    const d = {
      metadata: { name: "web", creationTimestamp: created },
      spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(cells([d], "apps", "deployments")[0]).toEqual([
      "web",
      "2/3",
      3,
      2,
      "5m",
      "nginx,log",
      "nginx:1,busybox",
      "app=web",
    ]);
  });

  it("replicasets, statefulsets, daemonsets", () => {
    const spec = { replicas: 2, selector: { matchLabels: { app: "web" } }, template };
    expect(
      cells(
        [{ metadata: { name: "rs" }, spec, status: { replicas: 2, readyReplicas: 1 } }],
        "apps",
        "replicasets",
      )[0],
    ).toEqual(["rs", 2, 2, 1, "<unknown>", "nginx,log", "nginx:1,busybox", "app=web"]);
    expect(
      cells(
        [
          {
            metadata: { name: "s", creationTimestamp: created },
            spec,
            status: { readyReplicas: 2 },
          },
        ],
        "apps",
        "statefulsets",
      )[0]!.slice(0, 3),
    ).toEqual(["s", "2/2", "5m"]);
    const ds = {
      metadata: { name: "ds", creationTimestamp: created },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: { spec: { ...template.spec, nodeSelector: { "kubernetes.io/os": "linux" } } },
      },
      status: {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      },
    };
    expect(cells([ds], "apps", "daemonsets")[0]!.slice(0, 8)).toEqual([
      "ds",
      3,
      3,
      2,
      3,
      2,
      "kubernetes.io/os=linux",
      "5m",
    ]);
  });

  it("services", () => {
    const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({
      metadata: { name: "s", creationTimestamp: created },
      spec,
      status,
    });
    expect(
      cells(
        [
          svc({
            type: "ClusterIP",
            clusterIP: "10.96.0.1",
            ports: [{ port: 443, protocol: "TCP" }],
            selector: { app: "x" },
          }),
          svc({
            type: "NodePort",
            clusterIP: "10.96.0.2",
            ports: [
              { port: 80, nodePort: 30080, protocol: "TCP" },
              { port: 53, protocol: "UDP" },
            ],
          }),
          svc({ type: "LoadBalancer", clusterIP: "10.96.0.3", ports: [] }),
          svc(
            { type: "LoadBalancer", clusterIP: "10.96.0.4" },
            { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } },
          ),
          svc({ type: "ExternalName", externalName: "example.com" }),
        ],
        "",
        "services",
      ).map((row) => row.slice(0, 5).concat(row.slice(6))),
    ).toEqual([
      ["s", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "app=x"],
      ["s", "NodePort", "10.96.0.2", "<none>", "80:30080/TCP,53/UDP", "<none>"],
      ["s", "LoadBalancer", "10.96.0.3", "<pending>", "<none>", "<none>"],
      ["s", "LoadBalancer", "10.96.0.4", "1.2.3.4", "<none>", "<none>"],
      ["s", "ExternalName", "<none>", "example.com", "<none>", "<none>"],
    ]);
  });

  it("nodes, namespaces, configmaps, secrets", () => {
    const node = {
      metadata: {
        name: "n1",
        creationTimestamp: created,
        labels: { "node-role.kubernetes.io/control-plane": "" },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        nodeInfo: {
          kubeletVersion: "v1.32.0",
          osImage: "Debian GNU/Linux 12",
          kernelVersion: "6.1",
          containerRuntimeVersion: "containerd://1.7",
        },
        addresses: [{ type: "InternalIP", address: "192.168.1.2" }],
      },
    };
    expect(cells([node], "", "nodes")[0]).toEqual([
      "n1",
      "Ready,SchedulingDisabled",
      "control-plane",
      "5m",
      "v1.32.0",
      "192.168.1.2",
      "<none>",
      "Debian GNU/Linux 12",
      "6.1",
      "containerd://1.7",
    ]);
    expect(
      cells(
        [{ metadata: { name: "ns", creationTimestamp: created }, status: { phase: "Active" } }],
        "",
        "namespaces",
      )[0],
    ).toEqual(["ns", "Active", "5m"]);
    expect(
      cells(
        [{ metadata: { name: "c" }, data: { a: "1", b: "2" }, binaryData: { c: "" } }],
        "",
        "configmaps",
      )[0]!.slice(0, 2),
    ).toEqual(["c", 3]);
    expect(
      cells(
        [{ metadata: { name: "s" }, type: "Opaque", data: { a: "" } }],
        "",
        "secrets",
      )[0]!.slice(0, 3),
    ).toEqual(["s", "Opaque", 1]);
  });

  it("jobs and cronjobs", () => {
    const job = {
      metadata: { name: "j", creationTimestamp: created },
      spec: { completions: 3, template },
      status: {
        succeeded: 3,
        startTime: "2026-01-10T11:56:00Z",
        completionTime: "2026-01-10T11:57:30Z",
        conditions: [{ type: "Complete", status: "True" }],
      },
    };
    expect(cells([job], "batch", "jobs")[0]!.slice(0, 5)).toEqual([
      "j",
      "Complete",
      "3/3",
      "90s",
      "5m",
    ]);
    const queue = { metadata: { name: "q" }, spec: { parallelism: 2 }, status: { succeeded: 1 } };
    expect(cells([queue], "batch", "jobs")[0]!.slice(0, 4)).toEqual([
      "q",
      "Running",
      "1/1 of 2",
      "",
    ]);
    const cj = {
      metadata: { name: "c", creationTimestamp: created },
      spec: { schedule: "*/5 * * * *", suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{}], lastScheduleTime: "2026-01-10T11:59:00Z" },
    };
    expect(cells([cj], "batch", "cronjobs")[0]!.slice(0, 7)).toEqual([
      "c",
      "*/5 * * * *",
      "<none>",
      false,
      1,
      "60s",
      "5m",
    ]);
  });

  it("falls back to Name and Created At", () => {
    const table = toTable(
      def("apiextensions.k8s.io", "customresourcedefinitions"),
      [{ metadata: { name: "l", creationTimestamp: created } }],
      { now },
    );
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ["Name", "string"],
      ["Created At", "date"],
    ]);
    expect(table.rows[0]!.cells).toEqual(["l", created]);
  });
});

describe("cluster printers", () => {
  it("events", () => {
    const event = {
      metadata: { name: "web.1" },
      involvedObject: { kind: "Pod", name: "web", fieldPath: "spec.containers{nginx}" },
      reason: "BackOff",
      type: "Warning",
      message: "Back-off restarting failed container ",
      source: { component: "kubelet", host: "n1" },
      firstTimestamp: "2026-01-10T11:50:00Z",
      lastTimestamp: "2026-01-10T11:59:00Z",
      count: 7,
    };
    expect(cells([event], "", "events")[0]).toEqual([
      "60s (x7 over 10m)",
      "Warning",
      "BackOff",
      "pod/web",
      "spec.containers{nginx}",
      "kubelet, n1",
      "Back-off restarting failed container",
      "10m",
      "7",
      "web.1",
    ]);
  });

  it("endpoints", () => {
    const ep = (n: number) => ({
      metadata: { name: "svc", creationTimestamp: created },
      subsets: [
        {
          addresses: Array.from({ length: n }, (_, i) => ({ ip: `10.0.0.${i + 1}` })),
          ports: [{ port: 80 }],
        },
      ],
    });
    expect(cells([ep(2)], "", "endpoints")[0]).toEqual(["svc", "10.0.0.1:80,10.0.0.2:80", "5m"]);
    expect(cells([ep(5)], "", "endpoints")[0]![1]).toBe(
      "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...",
    );
    expect(cells([{ metadata: { name: "e" } }], "", "endpoints")[0]![1]).toBe("<none>");
  });

  it("volumes and claims", () => {
    const pvc = {
      metadata: { name: "data", creationTimestamp: created },
      spec: { volumeName: "pv-1", storageClassName: "standard", volumeMode: "Filesystem" },
      status: { phase: "Bound", capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"] },
    };
    expect(cells([pvc], "", "persistentvolumeclaims")[0]).toEqual([
      "data",
      "Bound",
      "pv-1",
      "1Gi",
      "RWO",
      "standard",
      "<none>",
      "5m",
      "Filesystem",
    ]);
    const pv = {
      metadata: { name: "pv-1", creationTimestamp: created },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: "d", name: "data" },
        storageClassName: "standard",
      },
      status: { phase: "Bound" },
    };
    expect(cells([pv], "", "persistentvolumes")[0]!.slice(0, 7)).toEqual([
      "pv-1",
      "1Gi",
      "RWO,ROX",
      "Retain",
      "Bound",
      "d/data",
      "standard",
    ]);
    const sc = {
      metadata: {
        name: "standard",
        creationTimestamp: created,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "kubekit.io/hostpath",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    expect(cells([sc], "storage.k8s.io", "storageclasses")[0]).toEqual([
      "standard (default)",
      "kubekit.io/hostpath",
      "Delete",
      "WaitForFirstConsumer",
      "false",
      "5m",
    ]);
  });

  it("leases and RBAC", () => {
    expect(
      cells(
        [
          {
            metadata: { name: "kube-scheduler", creationTimestamp: created },
            spec: { holderIdentity: "n1_abc" },
          },
        ],
        "coordination.k8s.io",
        "leases",
      )[0],
    ).toEqual(["kube-scheduler", "n1_abc", "5m"]);
    const binding = {
      metadata: { name: "admins", creationTimestamp: created },
      roleRef: { kind: "ClusterRole", name: "cluster-admin" },
      subjects: [
        { kind: "User", name: "alice" },
        { kind: "Group", name: "ops" },
        { kind: "ServiceAccount", namespace: "kube-system", name: "ctl" },
      ],
    };
    expect(cells([binding], "rbac.authorization.k8s.io", "clusterrolebindings")[0]).toEqual([
      "admins",
      "ClusterRole/cluster-admin",
      "5m",
      "alice",
      "ops",
      "kube-system/ctl",
    ]);
    expect(
      cells(
        [{ metadata: { name: "view", creationTimestamp: created } }],
        "rbac.authorization.k8s.io",
        "clusterroles",
      )[0],
    ).toEqual(["view", created]);
  });
});
