import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type BridgeNetwork,
  buildBusyboxImage,
  type Containerd,
  eventually,
  freePort,
  importImage,
  PAUSE_COMMAND,
  startContainerd,
  writeBridgeNetwork,
} from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ControlPlane,
  type KubekitProcess,
  startControlPlane,
} from "./support/control-plane.js";

/**
 * `kubekit kubelet` as an operator runs it: on `kubekit apiserver` on
 * `kubekit store`, with `kubekit scheduler`, all as processes, on Debian's
 * containerd with a private CNI bridge, driven by the real kubectl. Then
 * the same command on the in-process simulated runtime, without containerd.
 */
describe("kubekit kubelet with the control plane as processes", { timeout: 180_000 }, () => {
  const nodeName = `e2e-node-${process.pid}`;
  const octet = ((process.pid + 131) % 200) + 20;
  let plane: ControlPlane;
  let containerd: Containerd;
  let network: BridgeNetwork;
  let busybox: string;
  let kubelet: KubekitProcess;
  let healthzPort: number;
  const kubectl = (...args: string[]) => plane.kubectl(...args);

  beforeAll(async () => {
    plane = await startControlPlane("kubelet-e2e");
    const scheduler = plane.start("scheduler", `--kubeconfig=${plane.kubeconfig}`);
    const image = await buildBusyboxImage({
      dir: plane.dir.path,
      name: "kubekit/busybox",
      tag: "e2e",
    });
    const pause = await buildBusyboxImage({
      dir: plane.dir.path,
      name: "kubekit/pause",
      tag: "e2e",
      cmd: PAUSE_COMMAND,
    });
    busybox = image.ref;
    containerd = await startContainerd({ sandboxImage: pause.ref });
    for (const archive of [image, pause]) {
      await importImage({
        address: containerd.address,
        archive: archive.archive,
        snapshotter: containerd.snapshotter,
      });
    }
    network = await writeBridgeNetwork({
      confDir: containerd.cniConfDir,
      bridge: `kke${process.pid % 100_000}`,
      subnet: `10.236.${octet}.0/24`,
      dataDir: join(plane.dir.path, "ipam"),
    });
    healthzPort = await freePort();
    kubelet = plane.start(
      "kubelet",
      `--kubeconfig=${plane.kubeconfig}`,
      `--node-name=${nodeName}`,
      `--container-runtime-endpoint=unix://${containerd.address}`,
      `--root-dir=${join(plane.dir.path, "kubelet")}`,
      `--pod-logs-dir=${join(plane.dir.path, "pod-logs")}`,
      `--cgroup-root=/kubekit-e2e-${process.pid}`,
      "--node-ip=127.0.0.1",
      `--healthz-port=${healthzPort}`,
      "--node-labels=example.com/e2e=yes",
      "--node-status-update-frequency=1s",
    );
    await eventually("the scheduler to sync its caches", async () => {
      if (scheduler.child.exitCode !== null)
        throw new Error(`scheduler exited: ${scheduler.log()}`);
      return scheduler.log().includes("caches synced") || undefined;
    });
  }, 180_000);

  afterAll(async () => {
    await plane?.stop();
    await containerd?.stop();
    await network?.remove();
  }, 120_000);

  it("registers a Ready node that kubectl lists, and serves /healthz and /metrics", async () => {
    const line = await eventually(
      "kubectl to list the node Ready",
      async () => {
        if (kubelet.child.exitCode !== null) throw new Error(`kubelet exited: ${kubelet.log()}`);
        const out = await kubectl("get", "nodes", "--no-headers");
        return out.split("\n").find((l) => l.startsWith(nodeName) && /\sReady\s/.test(l));
      },
      { timeoutMs: 120_000 },
    );
    expect(line).toContain("v1.32.0");
    const runtimeVersion = await kubectl(
      "get",
      "node",
      nodeName,
      "-o",
      "jsonpath={.status.nodeInfo.containerRuntimeVersion}",
    );
    expect(runtimeVersion).toMatch(/^containerd:\/\//);
    expect(
      await kubectl("get", "node", nodeName, "-o", "jsonpath={.metadata.labels.example\\.com/e2e}"),
    ).toBe("yes");
    const healthz = await fetch(`http://127.0.0.1:${healthzPort}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toBe("ok");
    const metrics = await (await fetch(`http://127.0.0.1:${healthzPort}/metrics`)).text();
    expect(metrics).toMatch(/^kubelet_node_lease_renewals_total \d+/m);
    expect(metrics).toMatch(/^kubelet_running_pods \d+/m);
  });

  it("runs a pod kubectl created without a node: scheduled here, Running with a bridge IP, then deleted", async () => {
    await kubectl("run", "web", `--image=${busybox}`, "--restart=Never", "--", "sleep", "3600");
    const phase = await eventually(
      "the pod Running",
      async () => {
        const out = await kubectl(
          "get",
          "pod",
          "web",
          "-o",
          "jsonpath={.spec.nodeName} {.status.phase} {.status.podIP}",
        );
        return out.includes("Running") ? out : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const [boundTo, , podIP] = phase.split(" ");
    expect(boundTo).toBe(nodeName);
    expect(podIP?.startsWith(`10.236.${octet}.`)).toBe(true);
    const wide = await kubectl("get", "pods", "-o", "wide", "--no-headers");
    expect(wide).toMatch(/^web\s+1\/1\s+Running\s+0\s/m);

    await kubectl("delete", "pod", "web", "--grace-period=2", "--wait=true", "--timeout=90s");
    expect(await kubectl("get", "pods", "--no-headers", "--ignore-not-found")).not.toContain("web");
  });

  it("exits cleanly on SIGTERM", async () => {
    const exited = once(kubelet.child, "exit");
    kubelet.child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(kubelet.log()).toContain('"msg":"stopped"');
  });

  it("with --runtime sim, registers nodes and runs a pod to Running without containerd", async () => {
    const sim = plane.start(
      "kubelet",
      `--kubeconfig=${plane.kubeconfig}`,
      "--node-name=sim",
      "--runtime=sim",
      "--simulated-nodes=3",
      `--root-dir=${join(plane.dir.path, "sim-kubelet")}`,
      `--pod-logs-dir=${join(plane.dir.path, "sim-logs")}`,
      "--healthz-port=0",
      "--node-ip=127.0.0.1",
    );
    await eventually(
      "three simulated nodes Ready",
      async () => {
        if (sim.child.exitCode !== null) throw new Error(`kubelet exited: ${sim.log()}`);
        const out = await kubectl("get", "nodes", "--no-headers");
        const ready = out.split("\n").filter((l) => /^sim-\d\s+Ready\s/.test(l));
        return ready.length === 3 || undefined;
      },
      { timeoutMs: 120_000 },
    );
    const runtime = await kubectl(
      "get",
      "node",
      "sim-1",
      "-o",
      "jsonpath={.status.nodeInfo.containerRuntimeVersion}",
    );
    expect(runtime).toMatch(/^cri-sim:\/\//);
    const manifest = join(plane.dir.path, "sim-pod.yaml");
    await writeFile(
      manifest,
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: { name: simulated, namespace: default }",
        "spec:",
        "  nodeName: sim-1",
        "  containers: [{ name: app, image: 'nginx:1.27' }]",
      ].join("\n"),
    );
    await kubectl("apply", "--validate=false", "-f", manifest);
    const status = await eventually(
      "the simulated pod Running",
      async () => {
        const out = await kubectl(
          "get",
          "pod",
          "simulated",
          "-o",
          "jsonpath={.status.phase} {.status.podIP} {.status.containerStatuses[0].containerID}",
        );
        return out.startsWith("Running") ? out : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const [, podIP, containerID] = status.split(" ");
    expect(podIP).toMatch(/^10\.128\.1\.\d+$/);
    expect(containerID).toMatch(/^cri-sim:\/\//);
    await kubectl("delete", "pod", "simulated", "--wait=true", "--timeout=90s");
    const exited = once(sim.child, "exit");
    sim.child.kill("SIGTERM");
    expect((await exited)[0]).toBe(0);
  });
});
