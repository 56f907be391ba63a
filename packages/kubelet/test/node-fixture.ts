import { connect } from "node:net";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import {
  type BridgeNetwork,
  buildBusyboxImage,
  type Containerd,
  eventually,
  importImage,
  makeTempDir,
  PAUSE_COMMAND,
  startContainerd,
  type TempDir,
  writeBridgeNetwork,
} from "@kubekit/testkit";
import { type Pod, PodEngine, RecordingStatusSink, StaticPodSource } from "../src/index.js";
import { removeCgroupTree } from "./helpers.js";

/** A node for tests: containerd on a private socket, busybox imported, a pod engine running. */
export interface NodeFixture {
  readonly runtime: Client<typeof RuntimeService>;
  readonly busybox: string;
  readonly source: StaticPodSource;
  readonly sink: RecordingStatusSink;
  /** The engine's pods with the latest status it reported, as the agent would hand them over. */
  pods(): Pod[];
  stop(): Promise<void>;
}

/**
 * Starts containerd (its built-in CRI plugin), imports offline busybox and
 * pause images, writes a private bridge network, and runs a PodEngine on
 * it with short backoffs. `name` (up to 3 characters are used in the bridge
 * name) and `secondOctet` (the subnet is `10.<secondOctet>.x.0/24`) must
 * differ between test files.
 */
export async function startNodeFixture(name: string, secondOctet: number): Promise<NodeFixture> {
  const dirs: TempDir = await makeTempDir(`kubelet-${name}`);
  const cgroupRoot = `/kubekit-${name}-${process.pid}`;
  const image = await buildBusyboxImage({ dir: dirs.path, name: "kubekit/busybox", tag: name });
  const pause = await buildBusyboxImage({
    dir: dirs.path,
    name: "kubekit/pause",
    tag: name,
    cmd: PAUSE_COMMAND,
  });
  const containerd: Containerd = await startContainerd({ sandboxImage: pause.ref });
  for (const archive of [image, pause]) {
    await importImage({
      address: containerd.address,
      archive: archive.archive,
      snapshotter: containerd.snapshotter,
    });
  }
  // Test files run in parallel processes: the pid keeps bridges and subnets
  // apart between runs, the name between the files that use this fixture.
  const octet = (process.pid % 200) + 20;
  const network: BridgeNetwork = await writeBridgeNetwork({
    confDir: containerd.cniConfDir,
    bridge: `kk${name.slice(0, 3)}${process.pid % 100_000}`,
    subnet: `10.${secondOctet}.${octet}.0/24`,
    dataDir: `${dirs.path}/ipam`,
  });
  const transport = createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => connect(containerd.address) },
  });
  const runtime = createClient(RuntimeService, transport);
  const images = createClient(ImageService, transport);
  await eventually(
    "CNI network ready",
    async () => {
      const { status } = await runtime.status({});
      return status?.conditions.some((c) => c.type === "NetworkReady" && c.status)
        ? true
        : undefined;
    },
    { timeoutMs: 60_000 },
  );
  const source = new StaticPodSource();
  const sink = new RecordingStatusSink();
  const engine = new PodEngine({
    runtime,
    images,
    source,
    sink,
    nodeName: "node-a",
    hostIPs: ["127.0.0.1"],
    podsDir: `${dirs.path}/pods`,
    podLogsRoot: `${dirs.path}/logs`,
    cgroupRoot,
    syncIntervalMs: 150,
    containerBackoff: { initialMs: 500, maxMs: 2_000 },
  });
  engine.start();
  return {
    runtime,
    busybox: image.ref,
    source,
    sink,
    pods: () =>
      source.pods().map((pod) => {
        const status = sink.latest(pod.metadata.uid);
        return status ? { ...pod, status } : pod;
      }),
    async stop() {
      // Let the engine remove every pod first: containerd stops slowly with live shims.
      for (const pod of source.pods()) source.delete(pod.metadata.uid);
      await eventually(
        "every sandbox removed",
        async () => ((await runtime.listPodSandbox({})).items.length === 0 ? true : undefined),
        { timeoutMs: 60_000 },
      ).catch(() => {});
      await engine.stop();
      await containerd.stop();
      await network.remove();
      await removeCgroupTree(cgroupRoot);
      await dirs.remove();
    },
  };
}
