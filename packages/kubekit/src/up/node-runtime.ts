import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, readdir } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { type CriSimServer, serveCriSim } from "@kubekit/cri-sim";
import {
  type BridgeNetwork,
  buildBusyboxImage,
  type Containerd,
  importImage,
  PAUSE_COMMAND,
  startContainerd,
  writeBridgeNetwork,
} from "@kubekit/runtime-host";
import type { DataDirLayout } from "./data-dir.js";

const execFileAsync = promisify(execFile);

/** Which runtime the node's kubelet talks to. */
export type RuntimeChoice = "auto" | "containerd" | "sim";

/** The runtime `kubekit up` runs (or found) for its kubelet. */
export interface NodeRuntime {
  readonly kind: "containerd" | "sim" | "external";
  /** The CRI endpoint for the kubelet, `unix:///path`. */
  readonly endpoint: string;
  /** A line for the user when the runtime is not real containers. */
  readonly banner?: string;
  /** Imports an OCI or docker-archive tarball into the runtime's `k8s.io` namespace. */
  importArchive(path: string): Promise<void>;
  /** Stops what `kubekit up` started: containers, shims, mounts, the pod bridge. */
  stop(): Promise<void>;
}

/** The bridge the node's pods attach to (CNI `bridge` plugin). */
export const POD_BRIDGE = "kubekit0";
/** The sandbox image built offline from busybox when none is present. */
export const PAUSE_IMAGE = "docker.io/kubekit/pause:busybox";

export const SIM_BANNER =
  "runtime: SIMULATED (cri-sim) — pods are reported Running but nothing runs. " +
  "For real containers install containerd and runc: sudo apt install containerd runc umoci busybox-static containernetworking-plugins";

/** Whether `name` is an executable on PATH. */
export async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** What containerd needs besides itself: runc, ctr, umoci, a static busybox and the CNI plugins. */
async function containerdUsable(): Promise<boolean> {
  const tools = await Promise.all(["containerd", "runc", "ctr", "umoci"].map(onPath));
  const busybox = await access("/bin/busybox", constants.X_OK).then(
    () => true,
    () => false,
  );
  const cni = await access("/usr/lib/cni/bridge", constants.X_OK).then(
    () => true,
    () => false,
  );
  return tools.every(Boolean) && busybox && cni;
}

/** Options of {@link startNodeRuntime}. */
export interface NodeRuntimeOptions {
  readonly layout: DataDirLayout;
  readonly choice: RuntimeChoice;
  /** The node's pod CIDR: the bridge network's subnet. */
  readonly podCidr: string;
  /** The host bridge pods attach to (default {@link POD_BRIDGE}). */
  readonly bridge?: string;
  /** An existing CRI runtime to use instead of starting one. */
  readonly externalEndpoint?: string;
  readonly log: (message: string, fields?: object) => void;
}

/**
 * Starts the node's runtime as k3s does: a private containerd under the
 * data dir with an offline pause image and a bridge network on the pod
 * CIDR, when containerd and runc are installed (or `choice` says so);
 * otherwise the simulated runtime, with a banner saying so. Archives in
 * `<data-dir>/images` are imported at every start.
 */
export async function startNodeRuntime(options: NodeRuntimeOptions): Promise<NodeRuntime> {
  const { layout, log } = options;
  if (options.externalEndpoint !== undefined) {
    return {
      kind: "external",
      endpoint: options.externalEndpoint,
      importArchive: () =>
        Promise.reject(new Error("images import needs the runtime kubekit up started")),
      stop: async () => {},
    };
  }
  const useContainerd =
    options.choice === "containerd" || (options.choice === "auto" && (await containerdUsable()));
  if (!useContainerd) {
    const server: CriSimServer = await serveCriSim({
      socketPath: layout.criSimSocket,
      podCidr: options.podCidr,
    });
    return {
      kind: "sim",
      endpoint: `unix://${layout.criSimSocket}`,
      banner: SIM_BANNER,
      importArchive: async () => {
        // The simulated runtime "has" every image; nothing to import.
      },
      stop: () => server.close(),
    };
  }

  const containerd: Containerd = await startContainerd({
    dir: layout.containerd,
    cniConfDir: layout.cniConf,
    sandboxImage: PAUSE_IMAGE,
  });
  let network: BridgeNetwork | undefined;
  try {
    const importArchive = (archive: string) =>
      importImage({ address: containerd.address, archive, snapshotter: containerd.snapshotter });
    const pause = await buildBusyboxImage({
      dir: layout.builtImages,
      name: "kubekit/pause",
      tag: "busybox",
      cmd: PAUSE_COMMAND,
    });
    await importArchive(pause.archive);
    for (const archive of await imageArchives(layout.images)) {
      log("importing image archive", { archive });
      await importArchive(archive);
    }
    const bridgeName = options.bridge ?? POD_BRIDGE;
    await removeStaleBridge(bridgeName);
    network = await writeBridgeNetwork({
      confDir: layout.cniConf,
      bridge: bridgeName,
      subnet: options.podCidr,
      dataDir: layout.cniIpam,
    });
    const bridge = network;
    return {
      kind: "containerd",
      endpoint: `unix://${containerd.address}`,
      importArchive,
      async stop() {
        await containerd.stop();
        await bridge.remove();
      },
    };
  } catch (error) {
    await containerd.stop();
    await network?.remove();
    throw error;
  }
}

/** A bridge left by a run that was killed would keep its old address; start clean. */
async function removeStaleBridge(name: string): Promise<void> {
  await execFileAsync("ip", ["link", "del", name]).catch(() => {});
}

/** `*.tar`, `*.tar.gz`/`*.tgz`… archives in the images dir, sorted by name (k3s's agent/images). */
export async function imageArchives(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => /\.(tar|tar\.gz|tgz|tar\.zst|oci)$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}
