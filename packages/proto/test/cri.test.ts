import { existsSync } from "node:fs";
import { readdir, readFile, rmdir } from "node:fs/promises";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  buildBusyboxImage,
  type Containerd,
  importImage,
  makeTempDir,
  PAUSE_COMMAND,
  startContainerd,
  type TempDir,
  writeBridgeNetwork,
} from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ContainerState,
  ImageService,
  NamespaceMode,
  PodSandboxState,
  RuntimeService,
} from "../src/cri.js";

// Real containerd (Debian's, with its built-in CRI plugin) on a private
// socket, real images built offline from busybox: proves that our runtime.v1
// descriptors speak the same wire format as upstream's CRI.
describe("runtime.v1 against containerd's CRI plugin", () => {
  let images: TempDir;
  let logs: TempDir;
  let containerd: Containerd;
  let runtime: Client<typeof RuntimeService>;
  let imageService: Client<typeof ImageService>;
  let busyboxRef: string;
  let pauseRef: string;

  beforeAll(async () => {
    images = await makeTempDir("cri-images");
    logs = await makeTempDir("cri-logs");
    const busybox = await buildBusyboxImage({
      dir: images.path,
      name: "kubekit/busybox",
      tag: "cri",
    });
    const pause = await buildBusyboxImage({
      dir: images.path,
      name: "kubekit/pause",
      tag: "cri",
      cmd: PAUSE_COMMAND,
    });
    busyboxRef = busybox.ref;
    pauseRef = pause.ref;
    containerd = await startContainerd({ sandboxImage: pause.ref });
    for (const image of [busybox, pause]) {
      await importImage({
        address: containerd.address,
        archive: image.archive,
        snapshotter: containerd.snapshotter,
      });
    }
    // connect-node dials whatever socket createConnection returns, so gRPC
    // over a unix socket needs only a placeholder authority in baseUrl.
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(containerd.address) },
    });
    runtime = createClient(RuntimeService, transport);
    imageService = createClient(ImageService, transport);
  });

  afterAll(async () => {
    await containerd?.stop();
    await images?.remove();
    await logs?.remove();
  });

  it("Version names containerd and CRI v1", async () => {
    const version = await runtime.version({ version: "v1" });
    expect(version.runtimeName).toBe("containerd");
    expect(version.runtimeApiVersion).toBe("v1");
    expect(version.runtimeVersion).not.toBe("");
  });

  it("Status reports the runtime ready", async () => {
    const { status } = await runtime.status({});
    const ready = status?.conditions.find((condition) => condition.type === "RuntimeReady");
    expect(ready?.status).toBe(true);
    // No CNI config in the private conf dir, so the network is not ready.
    const network = status?.conditions.find((condition) => condition.type === "NetworkReady");
    expect(network?.status).toBe(false);
  });

  it("ListImages and ImageStatus see the imported images", async () => {
    const { images: listed } = await imageService.listImages({});
    const tags = listed.flatMap((image) => image.repoTags);
    expect(tags).toContain(busyboxRef);
    expect(tags).toContain(pauseRef);

    const { image } = await imageService.imageStatus({ image: { image: busyboxRef } });
    expect(image?.repoTags).toContain(busyboxRef);
    expect(image?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Number(image?.size)).toBeGreaterThan(500_000);

    const absent = await imageService.imageStatus({ image: { image: "docker.io/kubekit/none:x" } });
    expect(absent.image).toBeUndefined();
  });

  it("ImageFsInfo reports the snapshotter's filesystem", async () => {
    const { imageFilesystems } = await imageService.imageFsInfo({});
    expect(imageFilesystems[0]?.fsId?.mountpoint).toContain(containerd.root);
  });

  it("answers NotFound for an unknown sandbox, as a ConnectError", async () => {
    const error = await runtime.podSandboxStatus({ podSandboxId: "nope" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
  });

  it("runs a pod: sandbox, container, exec, then stops and removes both", async () => {
    // A cgroup parent of our own (as the kubelet passes its pod cgroup), so
    // the test can remove it afterwards; runc removes only the leaves.
    const cgroupParent = `/kubekit-cri-test-${process.pid}`;
    const sandboxConfig = {
      metadata: { name: "cri-test", namespace: "default", uid: "cri-test-uid", attempt: 0 },
      logDirectory: logs.path,
      labels: { app: "cri-test" },
      linux: {
        cgroupParent,
        securityContext: {
          // Host network (no CNI needed, nothing added to the host); a host-network
          // pod shares the host UTS namespace too, so it sets no hostname.
          namespaceOptions: { network: NamespaceMode.NODE, pid: NamespaceMode.CONTAINER },
        },
      },
    };
    const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig });
    expect(podSandboxId).toMatch(/^[0-9a-f]{64}$/);
    try {
      const sandbox = await runtime.podSandboxStatus({ podSandboxId });
      expect(sandbox.status?.state).toBe(PodSandboxState.SANDBOX_READY);
      expect(sandbox.status?.metadata?.name).toBe("cri-test");

      const { containerId } = await runtime.createContainer({
        podSandboxId,
        sandboxConfig,
        config: {
          metadata: { name: "sleeper" },
          image: { image: busyboxRef },
          command: ["sleep", "3600"],
          envs: [{ key: "GREETING", value: new TextEncoder().encode("hi") }],
          logPath: "sleeper.log",
        },
      });
      await runtime.startContainer({ containerId });
      const running = await runtime.containerStatus({ containerId });
      expect(running.status?.state).toBe(ContainerState.CONTAINER_RUNNING);
      expect(running.status?.image?.image).toBe(busyboxRef);

      const exec = await runtime.execSync({
        containerId,
        cmd: ["sh", "-c", 'echo "$GREETING"'],
        timeout: 10n,
      });
      expect(exec.exitCode).toBe(0);
      expect(new TextDecoder().decode(exec.stdout)).toBe("hi\n");

      const failing = await runtime.execSync({ containerId, cmd: ["sh", "-c", "exit 3"] });
      expect(failing.exitCode).toBe(3);

      // Streaming exec is served by containerd's stream server, which the
      // config binds to loopback only.
      const { url } = await runtime.exec({ containerId, cmd: ["true"], stdout: true });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\//);

      const listed = await runtime.listContainers({ filter: { podSandboxId } });
      expect(listed.containers.map((container) => container.id)).toEqual([containerId]);

      await runtime.stopContainer({ containerId, timeout: 1n });
      const exited = await runtime.containerStatus({ containerId });
      expect(exited.status?.state).toBe(ContainerState.CONTAINER_EXITED);
      await runtime.removeContainer({ containerId });
    } finally {
      await runtime.stopPodSandbox({ podSandboxId });
      await runtime.removePodSandbox({ podSandboxId });
      await removeCgroup(cgroupParent);
    }
    const { items } = await runtime.listPodSandbox({});
    expect(items.map((item) => item.id)).not.toContain(podSandboxId);
  });

  it("puts a pod on a private CNI bridge network with an address from its subnet", async () => {
    // Names and subnet unique to this process, so parallel runs don't meet.
    const octet = process.pid % 250;
    const network = await writeBridgeNetwork({
      confDir: containerd.cniConfDir,
      bridge: `kkcri${process.pid % 100_000}`,
      subnet: `10.233.${octet}.0/24`,
      dataDir: `${logs.path}/ipam`,
    });
    const cgroupParent = `/kubekit-cri-net-test-${process.pid}`;
    try {
      // containerd watches its CNI conf dir; wait (bounded) for it to notice.
      let networkReady = false;
      for (let attempt = 0; attempt < 100 && !networkReady; attempt++) {
        const { status } = await runtime.status({});
        networkReady =
          status?.conditions.some((c) => c.type === "NetworkReady" && c.status) ?? false;
        if (!networkReady) await sleep(100);
      }
      expect(networkReady).toBe(true);

      const sandboxConfig = {
        metadata: { name: "cri-net", namespace: "default", uid: "cri-net-uid", attempt: 0 },
        hostname: "cri-net",
        logDirectory: logs.path,
        linux: { cgroupParent },
      };
      const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig });
      try {
        const { status } = await runtime.podSandboxStatus({ podSandboxId });
        const ip = status?.network?.ip ?? "";
        expect(ip.startsWith(`10.233.${octet}.`)).toBe(true);

        const { containerId } = await runtime.createContainer({
          podSandboxId,
          sandboxConfig,
          config: {
            metadata: { name: "sleeper" },
            image: { image: busyboxRef },
            command: ["sleep", "3600"],
            logPath: "net-sleeper.log",
          },
        });
        await runtime.startContainer({ containerId });
        const shown = await runtime.execSync({
          containerId,
          cmd: ["sh", "-c", "hostname; ip -o -4 addr show eth0"],
          timeout: 10n,
        });
        const output = new TextDecoder().decode(shown.stdout);
        expect(output.split("\n")[0]).toBe("cri-net");
        expect(output).toContain(`inet ${ip}/24`);
        await runtime.removeContainer({ containerId });
      } finally {
        await runtime.stopPodSandbox({ podSandboxId });
        await runtime.removePodSandbox({ podSandboxId });
      }
    } finally {
      await network.remove();
      await removeCgroup(cgroupParent);
    }
  });

  // Last: it stops containerd under a running pod.
  it("stop() cleans up after containerd even with a pod still running", async () => {
    const cgroupParent = `/kubekit-cri-stop-test-${process.pid}`;
    const sandboxConfig = {
      metadata: { name: "cri-left", namespace: "default", uid: "cri-left-uid", attempt: 0 },
      logDirectory: logs.path,
      linux: {
        cgroupParent,
        securityContext: { namespaceOptions: { network: NamespaceMode.NODE } },
      },
    };
    const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig });
    const { containerId } = await runtime.createContainer({
      podSandboxId,
      sandboxConfig,
      config: {
        metadata: { name: "left" },
        image: { image: busyboxRef },
        command: ["sleep", "3600"],
        logPath: "left.log",
      },
    });
    await runtime.startContainer({ containerId });
    const { info } = await runtime.containerStatus({ containerId, verbose: true });
    const pid = JSON.parse(info.info ?? "{}").pid as number;
    expect(pid).toBeGreaterThan(1);
    expect(existsSync(`/proc/${pid}`)).toBe(true);

    await containerd.stop();

    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(existsSync(containerd.root)).toBe(false);
    const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
    expect(mountinfo).not.toContain(containerd.state);
    expect(mountinfo).not.toContain(containerd.root);
    const shims = await processesNaming(containerd.address);
    expect(shims).toEqual([]);
    await removeCgroup(cgroupParent);
  });
});

/** Command lines of running processes that mention `text`. */
async function processesNaming(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(text)) found.push(cmdline.replaceAll("\0", " "));
  }
  return found;
}

/** Removes an (empty) cgroup from every cgroup v1 hierarchy and the v2 one. */
async function removeCgroup(path: string): Promise<void> {
  const hierarchies = await readdir("/sys/fs/cgroup").catch(() => []);
  for (const hierarchy of [...hierarchies, "."]) {
    await rmdir(`/sys/fs/cgroup/${hierarchy}${path}`).catch(() => {});
  }
}
