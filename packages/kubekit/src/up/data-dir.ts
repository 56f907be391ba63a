import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/** Where `kubekit up` keeps each part of a cluster under its data dir. */
export interface DataDirLayout {
  readonly root: string;
  /** store-raft's WAL and snapshots. */
  readonly store: string;
  /** The cluster CA and every certificate (`ca.crt`, `apiserver.crt`, ...). */
  readonly pki: string;
  /** The admin kubeconfig printed at start. */
  readonly adminKubeconfig: string;
  /** Kubeconfigs of the components (scheduler, controller-manager, kubelet). */
  readonly componentKubeconfigs: string;
  /** The private containerd's config, root, state and socket. */
  readonly containerd: string;
  /** Image archives imported at every start (k3s's agent/images). */
  readonly images: string;
  /** Images kubekit builds itself (the offline pause image). */
  readonly builtImages: string;
  /** The kubelet's root (pod volumes). */
  readonly kubelet: string;
  /** Container logs (upstream: /var/log/pods). */
  readonly podLogs: string;
  /** The CNI config the runtime reads, and host-local's leases. */
  readonly cniConf: string;
  readonly cniIpam: string;
  /** The simulated runtime's socket, when there is no containerd. */
  readonly criSimSocket: string;
  /** Held while a `kubekit up` runs on this data dir. */
  readonly lock: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    store: join(root, "store"),
    pki: join(root, "pki"),
    adminKubeconfig: join(root, "kubeconfig"),
    componentKubeconfigs: join(root, "kubeconfigs"),
    containerd: join(root, "containerd"),
    images: join(root, "images"),
    builtImages: join(root, "built-images"),
    kubelet: join(root, "kubelet"),
    podLogs: join(root, "pod-logs"),
    cniConf: join(root, "cni", "net.d"),
    cniIpam: join(root, "cni", "ipam"),
    criSimSocket: join(root, "cri-sim.sock"),
    lock: join(root, "kubekit-up.lock"),
  };
}

/** A second `kubekit up` found the data dir in use. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
}

/** A held data-dir lock; release() frees it. */
export interface DataDirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the data dir's lock file (created exclusively, holding our pid).
 * A lock left by a process that is gone is taken over; one held by a live
 * process is refused with {@link DataDirInUseError}.
 */
export async function acquireDataDirLock(path: string, pid = process.pid): Promise<DataDirLock> {
  // Bounded: one retry after removing a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx", 0o644);
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return {
        async release() {
          const owner = await readFile(path, "utf8").catch(() => "");
          if (owner.trim() === String(pid)) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && alive(owner)) {
        throw new DataDirInUseError(
          `data dir ${path.replace(/\/[^/]*$/, "")} is in use by another kubekit up (pid ${owner}); stop it first or pass another --data-dir`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DataDirInUseError(`could not take the lock ${path}`);
}
