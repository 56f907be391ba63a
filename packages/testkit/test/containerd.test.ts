import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildBusyboxImage,
  type Containerd,
  importImage,
  makeTempDir,
  renderConfig,
  startContainerd,
  type TempDir,
} from "../src/index.js";

const execFileAsync = promisify(execFile);

describe("renderConfig", () => {
  it("keeps every path private and restricts OOM score changes", () => {
    const config = renderConfig({
      root: "/x/root",
      state: "/x/state",
      address: "/x/c.sock",
      cniConfDir: "/x/cni",
      cniBinDir: "/usr/lib/cni",
      snapshotter: "native",
      sandboxImage: "docker.io/kubekit/pause:test",
    });
    expect(config).toMatch(/^version = 2$/m);
    expect(config).toContain('address = "/x/c.sock"');
    expect(config).toContain('address = "/x/c.sock.ttrpc"');
    expect(config).toContain('sandbox_image = "docker.io/kubekit/pause:test"');
    expect(config).toContain("restrict_oom_score_adj = true");
    expect(config).toContain('snapshotter = "native"');
    expect(config).toContain('Root = "/x/state/runc"');
    expect(config).toContain('conf_dir = "/x/cni"');
    expect(config).toContain('"io.containerd.snapshotter.v1.btrfs"');
  });
});

describe("startContainerd", () => {
  let images: TempDir;
  let containerd: Containerd;
  beforeAll(async () => {
    images = await makeTempDir("containerd-images");
    containerd = await startContainerd();
  });
  afterAll(async () => {
    await containerd?.stop();
    await images.remove();
  });

  it("serves containerd's API on its private socket", async () => {
    expect((await stat(containerd.address)).isSocket()).toBe(true);
    const { stdout } = await execFileAsync("ctr", ["--address", containerd.address, "version"]);
    expect(stdout).toMatch(/Server:\s+Version:/);
  });

  it("imports a busybox archive into the k8s.io namespace under its reference", async () => {
    const image = await buildBusyboxImage({ dir: images.path, tag: "containerd-test" });
    await importImage({
      address: containerd.address,
      archive: image.archive,
      snapshotter: containerd.snapshotter,
    });
    const { stdout } = await execFileAsync("ctr", [
      "--address",
      containerd.address,
      "-n",
      "k8s.io",
      "images",
      "ls",
      "-q",
    ]);
    expect(stdout.split("\n")).toContain("docker.io/kubekit/busybox:containerd-test");
  });

  it("stop() leaves no process, mount or directory behind", async () => {
    const other = await startContainerd({ snapshotter: "native" });
    await other.stop();
    await other.stop();
    await expect(stat(other.root)).rejects.toThrow();
    const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
    expect(mountinfo).not.toContain(other.root);
    expect(await processesNaming(other.address)).toEqual([]);
  });

  it("fails fast when the containerd binary is missing", async () => {
    const started = Date.now();
    await expect(
      startContainerd({ binary: "/nonexistent/containerd", startTimeoutMs: 10_000 }),
    ).rejects.toThrow(/containerd did not start: spawn \/nonexistent\/containerd ENOENT/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails with the log tail when containerd cannot start", async () => {
    await expect(startContainerd({ binary: "/bin/false", startTimeoutMs: 3000 })).rejects.toThrow(
      /containerd did not serve CRI within 3000 ms \(containerd exited/,
    );
  });
});

/** Command lines of running processes that mention `text` (no procps needed). */
async function processesNaming(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(text)) found.push(cmdline.replaceAll("\0", " "));
  }
  return found;
}
