import { create } from "@bufbuild/protobuf";
import { MountSchema } from "@kubekit/proto/cri";
import { describe, expect, it } from "vitest";
import {
  type Container,
  containerConfig,
  containerHash,
  EMPTY_LOOKUP,
  type Pod,
} from "../src/index.js";

const container: Container = {
  name: "app",
  image: "docker.io/library/app:1",
  command: ["/bin/app", "--name=$(POD_NAME)"],
  args: ["--greeting", "$(GREETING)", "$$(GREETING)", "$(UNSET)"],
  workingDir: "/srv",
  env: [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "GREETING", value: "hi $(POD_NAME)" },
  ],
  ports: [{ name: "http", containerPort: 8080 }],
  resources: { limits: { cpu: "1", memory: "256Mi" } },
  lifecycle: { preStop: { exec: { command: ["sh", "-c", "sleep 1"] } } },
  securityContext: {
    runAsUser: 1001,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  },
};
const pod: Pod = {
  metadata: { name: "app-0", namespace: "prod", uid: "u-9" },
  spec: { containers: [container], terminationGracePeriodSeconds: 45 },
};

describe("container config", () => {
  const mount = create(MountSchema, {
    containerPath: "/data",
    hostPath: "/var/lib/x",
    readonly: true,
  });
  const config = containerConfig({
    pod,
    container,
    restartCount: 3,
    image: "sha256:abc",
    mounts: [mount],
    init: false,
    lookup: EMPTY_LOOKUP,
    facts: { nodeName: "n", hostIPs: ["192.0.2.1"], podIPs: ["10.0.0.7"], allocatable: {} },
    resources: { qos: "Guaranteed", memoryCapacityBytes: 1n << 33n },
  });

  it("names the attempt, image, log path and working dir", () => {
    expect(config.metadata).toMatchObject({ name: "app", attempt: 3 });
    expect(config.image?.image).toBe("sha256:abc");
    expect(config.image?.userSpecifiedImage).toBe("docker.io/library/app:1");
    expect(config.logPath).toBe("app/3.log");
    expect(config.workingDir).toBe("/srv");
    expect(config.mounts).toEqual([mount]);
  });

  it("expands command and args against the resolved env", () => {
    expect(config.command).toEqual(["/bin/app", "--name=app-0"]);
    expect(config.args).toEqual(["--greeting", "hi app-0", "$(GREETING)", "$(UNSET)"]);
    const decoder = new TextDecoder();
    expect(config.envs.map((e) => [e.key, decoder.decode(e.value)])).toEqual([
      ["POD_NAME", "app-0"],
      ["GREETING", "hi app-0"],
    ]);
  });

  it("labels the container with the pod's identity and annotates what a restarted kubelet needs", () => {
    expect(config.labels).toEqual({
      "io.kubernetes.pod.name": "app-0",
      "io.kubernetes.pod.namespace": "prod",
      "io.kubernetes.pod.uid": "u-9",
      "io.kubernetes.container.name": "app",
    });
    expect(config.annotations).toMatchObject({
      "io.kubernetes.container.hash": containerHash(container),
      "io.kubernetes.container.restartCount": "3",
      "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": "File",
      "io.kubernetes.pod.terminationGracePeriod": "45",
    });
    expect(JSON.parse(config.annotations["io.kubernetes.container.preStopHandler"] ?? "")).toEqual(
      container.lifecycle?.preStop,
    );
    expect(JSON.parse(config.annotations["io.kubernetes.container.ports"] ?? "")).toEqual(
      container.ports,
    );
  });

  it("sets Linux resources and security context", () => {
    expect(config.linux?.resources).toMatchObject({
      cpuShares: 1024n,
      cpuQuota: 100_000n,
      cpuPeriod: 100_000n,
      memoryLimitInBytes: 268_435_456n,
      oomScoreAdj: -997n,
    });
    expect(config.linux?.securityContext?.runAsUser?.value).toBe(1001n);
    expect(config.linux?.securityContext?.noNewPrivs).toBe(true);
    expect(config.linux?.securityContext?.capabilities?.dropCapabilities).toEqual(["ALL"]);
  });

  it("hashes specs whatever their key order, and ignores resources", () => {
    const reordered = Object.fromEntries(Object.entries(container).reverse()) as Container;
    expect(containerHash(reordered)).toBe(containerHash(container));
    expect(containerHash({ ...container, resources: { limits: { cpu: "3" } } })).toBe(
      containerHash(container),
    );
    expect(containerHash({ ...container, args: [] })).not.toBe(containerHash(container));
  });

  it("hashes specs stably and tells changed specs apart", () => {
    expect(containerHash(container)).toBe(containerHash(structuredClone(container)));
    expect(containerHash({ ...container, image: "docker.io/library/app:2" })).not.toBe(
      containerHash(container),
    );
  });
});
