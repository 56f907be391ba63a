// @ts-check
/**
 * CPU seconds spent by each part of a `kubekit up` node while pods start:
 * the kubekit process (apiserver, store, scheduler, controllers and
 * kubelet share its one event loop), its containerd (with the CNI plugins
 * it ran and reaped), and the runc shims serving that containerd (with the
 * runc calls they ran and reaped). On a shared machine the wall-clock
 * latency moves with everyone's load; these move much less, and say which
 * part a pod's startup costs.
 */
import { readdir, readFile } from "node:fs/promises";

// USER_HZ (getconf CLK_TCK) is 100 on every mainstream Linux architecture.
const TICKS_PER_SECOND = 100;

/**
 * /proc/<pid>/stat: the command name and user + system ticks, own and of
 * reaped children.
 * @param {string} pid
 */
async function stat(pid) {
  const text = await readFile(`/proc/${pid}/stat`, "utf8");
  const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
  // Fields after the name: [0] state, [1] ppid, ..., [11] utime, [12] stime, [13] cutime, [14] cstime.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const own = Number(rest[11]) + Number(rest[12]);
  const children = Number(rest[13]) + Number(rest[14]);
  return { name, ppid: Number(rest[1]), own, children };
}

/**
 * CPU seconds so far of the kubekit process `upPid`, the containerd it
 * started, and the shims whose command line names `dataDir`.
 * @param {number} upPid
 * @param {string} dataDir
 */
export async function nodeCpuSeconds(upPid, dataDir) {
  const ticks = { kubekit: 0, containerd: 0, shims: 0 };
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const { name, ppid, own, children } = await stat(pid);
      if (Number(pid) === upPid) ticks.kubekit += own;
      else if (name === "containerd" && ppid === upPid) ticks.containerd += own + children;
      else if (name.startsWith("containerd-shim")) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline.includes(dataDir)) ticks.shims += own + children;
      }
    } catch {
      // The process has gone.
    }
  }
  return {
    kubekit: ticks.kubekit / TICKS_PER_SECOND,
    containerd: ticks.containerd / TICKS_PER_SECOND,
    shims: ticks.shims / TICKS_PER_SECOND,
  };
}
