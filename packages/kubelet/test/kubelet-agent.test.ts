import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { isNotFound, type KubeObject, Resources } from "@kubekit/client";
import { ImageService, RuntimeService } from "@kubekit/proto/cri";
import {
  type BridgeNetwork,
  buildBusyboxImage,
  type Containerd,
  eventually,
  freePort,
  importImage,
  makeTempDir,
  PAUSE_COMMAND,
  startContainerd,
  type TempDir,
  writeBridgeNetwork,
} from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONFIG_MIRROR_ANNOTATION,
  Kubelet,
  type Node,
  type NodeLease,
  POD_UID_LABEL,
  type Pod,
} from "../src/index.js";
import { removeCgroupTree } from "./helpers.js";
import { type InProcessControlPlane, startInProcessControlPlane } from "./support/control-plane.js";

// The whole kubelet against the real apiserver (on store-raft, in process)
// and Debian's containerd on a private socket with a private CNI bridge:
// registration, lease, pods from the API to Running and back out, pull
// errors in the API's status, restart safety and static pods.
describe("the kubelet on kubekit's apiserver and containerd", { timeout: 180_000 }, () => {
  const nodeName = `kubelet-it-${process.pid}`;
  const octet = ((process.pid + 77) % 200) + 20;
  const cgroupRoot = `/kubekit-kubelet-agent-${process.pid}`;
  let dirs: TempDir;
  let plane: InProcessControlPlane;
  let containerd: Containerd;
  let network: BridgeNetwork;
  let runtime: Client<typeof RuntimeService>;
  let images: Client<typeof ImageService>;
  let busybox: string;
  let kubelet: Kubelet;

  const pods = () => plane.client.resource<Pod & KubeObject>(Resources.pods).namespace("default");
  const nodes = () => plane.client.resource<Node>(Resources.nodes);

  async function newKubelet(): Promise<Kubelet> {
    const k = await Kubelet.create({
      client: plane.client,
      runtime,
      images,
      nodeName,
      nodeIP: "127.0.0.1",
      nodeLabels: { "example.com/pool": "it" },
      rootDir: `${dirs.path}/root`,
      podLogsDir: `${dirs.path}/logs`,
      podManifestPath: `${dirs.path}/manifests`,
      cgroupRoot,
      syncIntervalMs: 300,
      containerBackoff: { initialMs: 500, maxMs: 2_000 },
      imageBackoff: { initialMs: 1_500, maxMs: 6_000 },
      nodeStatusUpdateFrequencyMs: 1_000,
      leaseRenewIntervalMs: 1_000,
      statusResyncMs: 2_000,
      fileCheckFrequencyMs: 1_000,
    });
    await k.start();
    return k;
  }

  async function podIn(name: string, test: (pod: Pod) => boolean, timeoutMs = 60_000) {
    return eventually(
      `pod ${name} in the API`,
      async () => {
        const pod = await pods().get(name);
        return test(pod) ? pod : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  }

  async function containersOf(uid: string) {
    const { containers } = await runtime.listContainers({
      filter: { labelSelector: { [POD_UID_LABEL]: uid } },
    });
    return containers;
  }

  const podSpec = (name: string, spec: Partial<Pod["spec"]>): Pod & KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: "" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 3,
      containers: [{ name: "main", image: busybox, command: ["sleep", "3600"] }],
      ...spec,
    },
  });

  beforeAll(async () => {
    dirs = await makeTempDir("kubelet-agent");
    await mkdir(`${dirs.path}/manifests`, { recursive: true });
    const image = await buildBusyboxImage({
      dir: dirs.path,
      name: "kubekit/busybox",
      tag: "agent",
    });
    const pause = await buildBusyboxImage({
      dir: dirs.path,
      name: "kubekit/pause",
      tag: "agent",
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
      bridge: `kkag${process.pid % 100_000}`,
      subnet: `10.235.${octet}.0/24`,
      dataDir: `${dirs.path}/ipam`,
    });
    const transport = createGrpcTransport({
      baseUrl: "http://localhost",
      nodeOptions: { createConnection: () => connect(containerd.address) },
    });
    runtime = createClient(RuntimeService, transport);
    images = createClient(ImageService, transport);
    plane = await startInProcessControlPlane();
    kubelet = await newKubelet();
  }, 180_000);

  afterAll(async () => {
    await kubelet?.stop();
    await plane?.stop();
    await containerd?.stop();
    await network?.remove();
    await removeCgroupTree(cgroupRoot);
    await dirs?.remove();
  }, 120_000);

  it("registers the node Ready with the runtime's version, and renews its lease", async () => {
    const node = await eventually(
      "the node Ready",
      async () => {
        const n = await nodes().get(nodeName);
        const ready = n.status?.conditions?.find((c) => c.type === "Ready");
        return ready?.status === "True" ? n : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(node.metadata.labels).toMatchObject({
      "kubernetes.io/hostname": nodeName,
      "kubernetes.io/os": "linux",
      "example.com/pool": "it",
    });
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.reason).toBe("KubeletReady");
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/\d+\.\d+/);
    expect(node.status?.nodeInfo?.kubeletVersion).toBe("v1.32.0");
    expect(node.status?.addresses).toContainEqual({ type: "InternalIP", address: "127.0.0.1" });
    expect(node.status?.daemonEndpoints?.kubeletEndpoint.Port).toBe(10250);
    expect(Number(node.status?.capacity?.pods)).toBe(110);
    expect(Number(node.status?.capacity?.cpu)).toBeGreaterThan(0);
    expect(node.status?.capacity?.memory).toMatch(/^\d+Ki$/);

    const leases = plane.client.resource<NodeLease>(Resources.leases).namespace("kube-node-lease");
    const first = await eventually("the node lease", () => leases.get(nodeName));
    expect(first.spec?.holderIdentity).toBe(nodeName);
    expect(first.spec?.leaseDurationSeconds).toBe(40);
    expect(first.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "Node",
      name: nodeName,
      uid: node.metadata.uid,
    });
    const renewed = await eventually("the lease renewed", async () => {
      const lease = await leases.get(nodeName);
      return lease.spec?.renewTime !== first.spec?.renewTime ? lease : undefined;
    });
    expect(Date.parse(renewed.spec?.renewTime ?? "")).toBeGreaterThan(
      Date.parse(first.spec?.renewTime ?? ""),
    );
  });

  it("runs a pod bound to the node to Running with a bridge IP and ConfigMap env, then deletes it gracefully", async () => {
    await plane.client
      .resource(Resources.configMaps)
      .namespace("default")
      .create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "greeting" },
        data: { text: "hello-from-the-api" },
      } as KubeObject);
    const marker = `${dirs.path}/prestop-ran`;
    await pods().create(
      podSpec("web", {
        containers: [
          {
            name: "main",
            image: busybox,
            command: ["sh", "-c", "echo $GREETING; trap 'exit 0' TERM; sleep 3600 & wait"],
            env: [
              {
                name: "GREETING",
                valueFrom: { configMapKeyRef: { name: "greeting", key: "text" } },
              },
            ],
            volumeMounts: [{ name: "host", mountPath: "/host" }],
            lifecycle: {
              preStop: { exec: { command: ["sh", "-c", "echo bye > /host/prestop-ran"] } },
            },
          },
        ],
        volumes: [{ name: "host", hostPath: { path: dirs.path, type: "Directory" } }],
      }),
    );
    const running = await podIn(
      "web",
      (p) => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.ready === true,
    );
    expect(running.status?.podIP?.startsWith(`10.235.${octet}.`)).toBe(true);
    expect(running.status?.hostIP).toBe("127.0.0.1");
    expect(running.status?.qosClass).toBe("BestEffort");
    expect(running.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(running.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
    const uid = running.metadata.uid;
    const log = await eventually("the container's log", async () => {
      const text = await readFile(`${dirs.path}/logs/default_web_${uid}/main/0.log`, "utf8");
      return text.includes("hello-from-the-api") ? text : undefined;
    });
    expect(log).toMatch(/stdout F hello-from-the-api/);

    await pods().delete("web");
    const terminating = await pods().get("web");
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(3);
    await eventually(
      "the pod gone from the API",
      async () => {
        try {
          await pods().get("web");
          return undefined;
        } catch (error) {
          return isNotFound(error) ? true : undefined;
        }
      },
      { timeoutMs: 60_000 },
    );
    expect(existsSync(marker)).toBe(true);
    expect(kubelet.statuses.counters.deletes).toBe(1);
    expect(await containersOf(uid)).toEqual([]);
    const { items } = await runtime.listPodSandbox({
      filter: { labelSelector: { [POD_UID_LABEL]: uid } },
    });
    expect(items).toEqual([]);
  });

  it("reports ErrImagePull then ImagePullBackOff in the API for an image that can't be pulled", async () => {
    const port = await freePort();
    // Watch the pod, so every status the API held is seen, however briefly.
    const reasons: string[] = [];
    const phases = new Set<string>();
    const watching = new AbortController();
    const list = await pods().list();
    const watched = (async () => {
      for await (const event of pods().watch(
        {
          fieldSelector: "metadata.name=nopull",
          resourceVersion: list.metadata?.resourceVersion ?? "",
        },
        watching.signal,
      )) {
        const pod = event.object as Pod;
        const reason = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        if (reason && reasons.at(-1) !== reason) reasons.push(reason);
        if (pod.status?.phase) phases.add(pod.status.phase);
      }
    })().catch(() => {});
    await pods().create(
      podSpec("nopull", {
        containers: [{ name: "main", image: `127.0.0.1:${port}/kubekit/missing:v1` }],
      }),
    );
    await eventually(
      "ErrImagePull, then ImagePullBackOff, in the API",
      async () => {
        const first = reasons.indexOf("ErrImagePull");
        return first >= 0 && reasons.indexOf("ImagePullBackOff", first) > first ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    watching.abort();
    await watched;
    expect([...phases]).toEqual(["Pending"]);
    // Still alive: the node stays Ready and the lease keeps moving.
    const node = await nodes().get(nodeName);
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    await pods().delete("nopull", { gracePeriodSeconds: 0 });
  });

  it("a new kubelet on the same containerd adopts a running pod without restarting it", async () => {
    await pods().create(podSpec("survivor", {}));
    const before = await podIn(
      "survivor",
      (p) => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.ready === true,
    );
    await kubelet.stop();
    kubelet = await newKubelet();
    // Let the new kubelet take the pod on and sync it a few more times.
    await eventually("the new kubelet to sync the pod", async () =>
      kubelet.engine.podCount > 0 ? true : undefined,
    );
    const syncs = kubelet.engine.syncCount;
    await eventually("five more syncs", async () =>
      kubelet.engine.syncCount >= syncs + 5 ? true : undefined,
    );
    await kubelet.statuses.flush();
    const after = await pods().get("survivor");
    expect(after.status?.phase).toBe("Running");
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(after.status?.containerStatuses?.[0]?.containerID).toBe(
      before.status?.containerStatuses?.[0]?.containerID,
    );
    expect(after.status?.podIP).toBe(before.status?.podIP);
    const containers = await containersOf(before.metadata.uid);
    expect(containers.map((c) => `containerd://${c.id}`)).toEqual([
      before.status?.containerStatuses?.[0]?.containerID,
    ]);
    await pods().delete("survivor", { gracePeriodSeconds: 1 });
    await eventually(
      "survivor gone",
      async () => (await containersOf(before.metadata.uid)).length === 0 || undefined,
      { timeoutMs: 60_000 },
    );
  });

  it("runs a static pod from --pod-manifest-path and mirrors it in the API with its status", async () => {
    await writeFile(
      `${dirs.path}/manifests/static-web.yaml`,
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: { name: static-web }",
        "spec:",
        "  hostNetwork: true",
        "  terminationGracePeriodSeconds: 1",
        `  containers: [{ name: main, image: "${busybox}", command: [sleep, "3600"] }]`,
      ].join("\n"),
    );
    const name = `static-web-${nodeName}`;
    const mirror = await podIn(name, (p) => p.status?.phase === "Running");
    expect(mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION]).toMatch(/^[0-9a-f]{32}$/);
    expect(mirror.metadata.annotations?.["kubernetes.io/config.source"]).toBe("file");
    const owner = (mirror.metadata as { ownerReferences?: { kind: string; name: string }[] })
      .ownerReferences?.[0];
    expect(owner).toMatchObject({ kind: "Node", name: nodeName });
    const staticUid = mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] ?? "";
    expect((await containersOf(staticUid)).length).toBe(1);

    // Removing the manifest stops the pod and removes its mirror.
    await import("node:fs/promises").then((fs) => fs.rm(`${dirs.path}/manifests/static-web.yaml`));
    await eventually(
      "the mirror pod gone",
      async () => {
        try {
          await pods().get(name);
          return undefined;
        } catch (error) {
          return isNotFound(error) ? true : undefined;
        }
      },
      { timeoutMs: 60_000 },
    );
    await eventually(
      "the static pod's containers gone",
      async () => (await containersOf(staticUid)).length === 0 || undefined,
      { timeoutMs: 60_000 },
    );
  });
});
