import { readdir, rmdir } from "node:fs/promises";
import type { PodQOSClass } from "../api/types.js";

/** Default root of the kubelet's cgroups (the cgroupfs driver's layout). */
export const DEFAULT_CGROUP_ROOT = "/kubepods";

/**
 * A pod's cgroup in the cgroupfs layout: Guaranteed pods directly under the
 * root, Burstable and BestEffort under a directory of their class.
 */
export function podCgroupParent(root: string, qos: PodQOSClass, uid: string): string {
  const base = root.replace(/\/+$/, "");
  if (qos === "Guaranteed") return `${base}/pod${uid}`;
  return `${base}/${qos.toLowerCase()}/pod${uid}`;
}

/**
 * Removes a pod's (empty) cgroup from every v1 hierarchy and the v2 tree.
 * The runtime removes only its containers' leaves; the pod level is the
 * kubelet's to clean. Missing or busy directories are left alone.
 */
export async function removeCgroup(path: string, mount = "/sys/fs/cgroup"): Promise<void> {
  const hierarchies = await readdir(mount).catch(() => [] as string[]);
  for (const hierarchy of [...hierarchies, "."]) {
    await rmdir(`${mount}/${hierarchy}${path}`).catch(() => {});
  }
}
