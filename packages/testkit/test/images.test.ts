import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildBusyboxImage,
  makeTempDir,
  normalizeRepository,
  PAUSE_COMMAND,
  type TempDir,
} from "../src/index.js";

const execFileAsync = promisify(execFile);

describe("normalizeRepository", () => {
  it("qualifies names the way containerd's CRI lists them", () => {
    expect(normalizeRepository("busybox")).toBe("docker.io/library/busybox");
    expect(normalizeRepository("kubekit/busybox")).toBe("docker.io/kubekit/busybox");
    expect(normalizeRepository("docker.io/kubekit/busybox")).toBe("docker.io/kubekit/busybox");
    expect(normalizeRepository("localhost:5000/busybox")).toBe("localhost:5000/busybox");
    expect(normalizeRepository("localhost/busybox")).toBe("localhost/busybox");
    expect(normalizeRepository("registry.k8s.io/pause")).toBe("registry.k8s.io/pause");
  });
});

describe("buildBusyboxImage", () => {
  let dir: TempDir;
  let work: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("images");
    work = await makeTempDir("images-work");
  });
  afterAll(async () => {
    await dir.remove();
    await work.remove();
  });

  it("builds an OCI archive whose index names the image by its full reference", async () => {
    const image = await buildBusyboxImage({ dir: dir.path, name: "kubekit/busybox", tag: "t1" });
    expect(image.ref).toBe("docker.io/kubekit/busybox:t1");
    await execFileAsync("tar", ["-C", work.path, "-xf", image.archive]);
    const index = JSON.parse(await readFile(join(work.path, "index.json"), "utf8"));
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0].annotations["org.opencontainers.image.ref.name"]).toBe(image.ref);
    const layout = JSON.parse(await readFile(join(work.path, "oci-layout"), "utf8"));
    expect(layout.imageLayoutVersion).toBe("1.0.0");
  });

  it("puts busybox and its applet links in /bin and sets the config", async () => {
    const image = await buildBusyboxImage({
      dir: dir.path,
      name: "kubekit/pause",
      tag: "t1",
      cmd: PAUSE_COMMAND,
    });
    const unpacked = join(work.path, "pause");
    await execFileAsync("mkdir", ["-p", unpacked]);
    await execFileAsync("tar", ["-C", unpacked, "-xf", image.archive]);
    const described = await execFileAsync("umoci", [
      "stat",
      "--json",
      "--image",
      `${unpacked}:${image.ref}`,
    ]);
    expect(JSON.parse(described.stdout).history.length).toBeGreaterThan(0);
    const bundle = join(work.path, "bundle");
    await execFileAsync("umoci", ["unpack", "--image", `${unpacked}:${image.ref}`, bundle]);
    const config = JSON.parse(await readFile(join(bundle, "config.json"), "utf8"));
    expect(config.process.args).toEqual(["/bin/sleep", "infinity"]);
    const rootfs = join(bundle, "rootfs");
    const { stdout } = await execFileAsync(join(rootfs, "bin", "sh"), ["-c", "echo applets-work"]);
    expect(stdout).toBe("applets-work\n");
    for (const applet of ["sleep", "cat", "echo", "ls", "wget", "nc", "httpd"]) {
      expect((await stat(join(rootfs, "bin", applet))).isFile(), applet).toBe(true);
    }
    expect(await readFile(join(rootfs, "etc", "passwd"), "utf8")).toMatch(/^root:x:0:0:/);
  });

  it("reuses the archive when the same image is built again", async () => {
    const first = await buildBusyboxImage({ dir: dir.path, name: "kubekit/busybox", tag: "t2" });
    const before = await stat(first.archive);
    const [second, third] = await Promise.all([
      buildBusyboxImage({ dir: dir.path, name: "kubekit/busybox", tag: "t2" }),
      buildBusyboxImage({ dir: dir.path, name: "kubekit/busybox", tag: "t2" }),
    ]);
    expect(second.archive).toBe(first.archive);
    expect(third.archive).toBe(first.archive);
    expect((await stat(second.archive)).mtimeMs).toBe(before.mtimeMs);
    const other = await buildBusyboxImage({ dir: dir.path, name: "kubekit/busybox", tag: "t3" });
    expect(other.archive).not.toBe(first.archive);
  });
});
