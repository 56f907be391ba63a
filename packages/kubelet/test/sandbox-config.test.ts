import { NamespaceMode, Protocol } from "@kubekit/proto/cri";
import { describe, expect, it } from "vitest";
import {
  type DnsSettings,
  type Pod,
  podDnsConfig,
  podHostname,
  podSandboxConfig,
} from "../src/index.js";

const dns: DnsSettings = {
  clusterDNS: ["10.96.0.10"],
  clusterDomain: "cluster.local",
  host: { servers: ["192.0.2.53"], searches: ["corp.example"], options: ["timeout:2"] },
};

function pod(spec: Partial<Pod["spec"]> = {}, name = "web-0"): Pod {
  return {
    metadata: {
      name,
      namespace: "shop",
      uid: "1234-abcd",
      labels: { app: "web" },
      annotations: { note: "x" },
    },
    spec: { containers: [{ name: "c", image: "i" }], ...spec },
  };
}

describe("pod sandbox config", () => {
  it("carries metadata, log directory, labels, annotations and the cgroup parent", () => {
    const config = podSandboxConfig(pod(), 2, {
      podLogsRoot: "/logs",
      dns,
      cgroupParent: "/kubepods/besteffort/pod1234-abcd",
    });
    expect(config.metadata).toMatchObject({
      name: "web-0",
      namespace: "shop",
      uid: "1234-abcd",
      attempt: 2,
    });
    expect(config.hostname).toBe("web-0");
    expect(config.logDirectory).toBe("/logs/shop_web-0_1234-abcd");
    expect(config.labels).toEqual({
      app: "web",
      "io.kubernetes.pod.name": "web-0",
      "io.kubernetes.pod.namespace": "shop",
      "io.kubernetes.pod.uid": "1234-abcd",
    });
    expect(config.annotations).toEqual({ note: "x" });
    expect(config.linux?.cgroupParent).toBe("/kubepods/besteffort/pod1234-abcd");
    expect(config.linux?.securityContext?.namespaceOptions).toMatchObject({
      network: NamespaceMode.POD,
      pid: NamespaceMode.CONTAINER,
      ipc: NamespaceMode.POD,
    });
  });

  it("defaults the log root to /var/log/pods", () => {
    expect(podSandboxConfig(pod(), 0, { dns, cgroupParent: "/x" }).logDirectory).toBe(
      "/var/log/pods/shop_web-0_1234-abcd",
    );
  });

  it("maps every container port, host port or not", () => {
    const config = podSandboxConfig(
      pod({
        containers: [
          {
            name: "a",
            image: "i",
            ports: [{ containerPort: 80, hostPort: 8080, hostIP: "127.0.0.1" }],
          },
          { name: "b", image: "i", ports: [{ containerPort: 53, protocol: "UDP" }] },
        ],
      }),
      0,
      { dns, cgroupParent: "/x" },
    );
    expect(
      config.portMappings.map((p) => [p.protocol, p.containerPort, p.hostPort, p.hostIp]),
    ).toEqual([
      [Protocol.TCP, 80, 8080, "127.0.0.1"],
      [Protocol.UDP, 53, 0, ""],
    ]);
  });

  it("uses the node's namespaces for host network, PID and IPC, and the pod's for shared PID", () => {
    const host = podSandboxConfig(pod({ hostNetwork: true, hostPID: true, hostIPC: true }), 0, {
      dns,
      cgroupParent: "/x",
    });
    expect(host.linux?.securityContext?.namespaceOptions).toMatchObject({
      network: NamespaceMode.NODE,
      pid: NamespaceMode.NODE,
      ipc: NamespaceMode.NODE,
    });
    expect(host.hostname).toBe("");
    const shared = podSandboxConfig(pod({ shareProcessNamespace: true }), 0, {
      dns,
      cgroupParent: "/x",
    });
    expect(shared.linux?.securityContext?.namespaceOptions?.pid).toBe(NamespaceMode.POD);
  });

  it("carries the pod security context and sysctls", () => {
    const config = podSandboxConfig(
      pod({
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 3000,
          supplementalGroups: [4000],
          fsGroup: 2000,
          sysctls: [{ name: "net.core.somaxconn", value: "1024" }],
        },
      }),
      0,
      { dns, cgroupParent: "/x" },
    );
    const security = config.linux?.securityContext;
    expect(security?.runAsUser?.value).toBe(1000n);
    expect(security?.runAsGroup?.value).toBe(3000n);
    expect(security?.supplementalGroups).toEqual([4000n, 2000n]);
    expect(config.linux?.sysctls).toEqual({ "net.core.somaxconn": "1024" });
  });
});

describe("pod hostname", () => {
  it.each([
    [{}, "web-0", "web-0"],
    [{ hostname: "db" }, "web-0", "db"],
    [{}, `${"a".repeat(62)}-xyz`, "a".repeat(62)],
    [
      { hostname: "db", subdomain: "svc", setHostnameAsFQDN: true },
      "web-0",
      "db.svc.shop.svc.cluster.local",
    ],
    [{ hostname: "db", subdomain: "svc" }, "web-0", "db"],
  ] as const)("%j for pod %s → %s", (spec, name, hostname) => {
    expect(podHostname(pod(spec, name), "cluster.local")).toBe(hostname);
  });
});

describe("pod DNS config", () => {
  it.each([
    [
      "ClusterFirst",
      {},
      ["10.96.0.10"],
      ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"],
      ["ndots:5"],
    ],
    [
      "ClusterFirst on the host network falls back to Default",
      { hostNetwork: true },
      ["192.0.2.53"],
      ["corp.example"],
      ["timeout:2"],
    ],
    [
      "ClusterFirstWithHostNet",
      { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" },
      ["10.96.0.10"],
      ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"],
      ["ndots:5"],
    ],
    ["Default", { dnsPolicy: "Default" }, ["192.0.2.53"], ["corp.example"], ["timeout:2"]],
    [
      "None with dnsConfig",
      {
        dnsPolicy: "None",
        dnsConfig: {
          nameservers: ["1.1.1.1"],
          searches: ["a.example"],
          options: [{ name: "edns0" }],
        },
      },
      ["1.1.1.1"],
      ["a.example"],
      ["edns0"],
    ],
    [
      "ClusterFirst merged with dnsConfig",
      {
        dnsConfig: {
          nameservers: ["10.96.0.10", "1.1.1.1"],
          searches: ["cluster.local", "extra.example"],
          options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
        },
      },
      ["10.96.0.10", "1.1.1.1"],
      [
        "shop.svc.cluster.local",
        "svc.cluster.local",
        "cluster.local",
        "corp.example",
        "extra.example",
      ],
      ["ndots:2", "edns0"],
    ],
  ] as const)("%s", (_, spec, servers, searches, options) => {
    const config = podDnsConfig(pod(spec as Partial<Pod["spec"]>), dns);
    expect(config.servers).toEqual(servers);
    expect(config.searches).toEqual(searches);
    expect(config.options).toEqual(options);
  });

  it("gives cluster pods the host's resolver when no cluster DNS is configured", () => {
    const config = podDnsConfig(pod(), { ...dns, clusterDNS: [] });
    expect(config.servers).toEqual(["192.0.2.53"]);
  });
});
