import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * Bumped whenever the image layout below changes, so archives cached by an
 * older builder are not reused.
 */
const BUILDER_VERSION = "1";

/** The command Docker Hub's busybox image runs by default. */
const DEFAULT_CMD: readonly string[] = ["sh"];

/**
 * A command that keeps a container alive until it is killed: what a pod
 * sandbox ("pause") image must run. Busybox's sleep accepts "infinity".
 */
export const PAUSE_COMMAND: readonly string[] = ["/bin/sleep", "infinity"];

/** How to build a busybox image; see {@link buildBusyboxImage}. */
export interface BusyboxImageOptions {
  /** Directory that holds the built archives; reused across builds as a cache. */
  readonly dir: string;
  /**
   * Repository, e.g. `kubekit/busybox` or `docker.io/kubekit/busybox`;
   * normalized the way containerd's CRI reports it. Default `kubekit/busybox`.
   */
  readonly name?: string;
  /** Tag; default `test`. */
  readonly tag?: string;
  /** Image config Entrypoint; default none. */
  readonly entrypoint?: readonly string[];
  /** Image config Cmd; default `["sh"]`. Use {@link PAUSE_COMMAND} for a sandbox image. */
  readonly cmd?: readonly string[];
  /** The static busybox binary to put in the image; default Debian's `/bin/busybox`. */
  readonly busybox?: string;
}

/** A built image: an OCI archive on disk and the reference it imports as. */
export interface BusyboxImage {
  /** Path of the OCI image-layout tar archive. */
  readonly archive: string;
  /** Fully qualified reference, e.g. `docker.io/kubekit/busybox:test`. */
  readonly ref: string;
}

/**
 * Turns a repository name into the fully qualified form containerd's CRI
 * lists: a registry host first (`docker.io` when the first path component
 * does not look like one) and `library/` for single-component Docker Hub
 * names.
 */
export function normalizeRepository(name: string): string {
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasRegistry =
    parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return name;
  if (parts.length === 1) return `docker.io/library/${name}`;
  return `docker.io/${name}`;
}

/** Builds in progress or done in this process, by cache key. */
const builds = new Map<string, Promise<BusyboxImage>>();

/**
 * Builds an OCI image from the host's static busybox, offline, with umoci:
 * one layer holding `/bin/busybox`, a symlink in `/bin` for every applet it
 * lists (sh, sleep, cat, echo, ls, wget, nc, httpd, ...), the usual empty
 * directories and a minimal `/etc/passwd`. The OCI layout is tarred into an
 * archive whose index names the image by its full reference, so
 * `ctr images import` (and so containerd's CRI) lists it under that name.
 *
 * Builds are cached by content: the archive's file name is derived from the
 * busybox binary, the reference and the config, so building the same image
 * twice (in this process or a later one) returns the existing archive.
 */
export async function buildBusyboxImage(options: BusyboxImageOptions): Promise<BusyboxImage> {
  const busybox = options.busybox ?? "/bin/busybox";
  const ref = `${normalizeRepository(options.name ?? "kubekit/busybox")}:${options.tag ?? "test"}`;
  const entrypoint = options.entrypoint ?? [];
  const cmd = options.cmd ?? DEFAULT_CMD;
  const key = createHash("sha256")
    .update(JSON.stringify({ BUILDER_VERSION, ref, entrypoint, cmd }))
    .update(await readFile(busybox))
    .digest("hex")
    .slice(0, 20);
  const archive = join(options.dir, `busybox-${key}.oci.tar`);
  let build = builds.get(archive);
  if (build === undefined) {
    build = buildUnlessCached({ dir: options.dir, archive, ref, busybox, entrypoint, cmd });
    builds.set(archive, build);
    // A failed build should not poison the cache for the next caller.
    build.catch(() => builds.delete(archive));
  }
  return await build;
}

interface BuildPlan {
  readonly dir: string;
  readonly archive: string;
  readonly ref: string;
  readonly busybox: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

async function buildUnlessCached(plan: BuildPlan): Promise<BusyboxImage> {
  const image = { archive: plan.archive, ref: plan.ref };
  if (await exists(plan.archive)) return image;
  await mkdir(plan.dir, { recursive: true });
  const work = await mkdtemp(join(plan.dir, ".build-"));
  try {
    const layout = join(work, "layout");
    const bundle = join(work, "bundle");
    // umoci names images "<layout>:<tag>"; build under a plain tag and
    // retag with the full reference at the end.
    const building = `${layout}:build`;
    await umoci("init", "--layout", layout);
    await umoci("new", "--image", building);
    await umoci("unpack", ...rootlessFlag(), "--image", building, bundle);
    await populateRootfs(join(bundle, "rootfs"), plan.busybox);
    await umoci("repack", "--image", building, bundle);
    await umoci(
      "config",
      "--image",
      building,
      "--config.env",
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "--config.workingdir",
      "/",
      ...plan.entrypoint.flatMap((arg) => ["--config.entrypoint", arg]),
      ...plan.cmd.flatMap((arg) => ["--config.cmd", arg]),
    );
    await umoci("tag", "--image", building, plan.ref);
    await umoci("rm", "--image", building);
    await umoci("gc", "--layout", layout);
    // Write beside the final name, then rename: a concurrent or later run
    // never sees a half-written archive.
    const partial = join(work, "image.tar");
    await run("tar", ["-C", layout, "-cf", partial, "."]);
    await rename(partial, plan.archive);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return image;
}

/** Fills an unpacked rootfs with busybox, its applet links and a minimal /etc. */
async function populateRootfs(rootfs: string, busybox: string): Promise<void> {
  for (const dir of ["bin", "etc", "dev", "proc", "sys", "root", "var", "tmp"]) {
    await mkdir(join(rootfs, dir), { recursive: true });
  }
  // Sticky and world-writable, as /tmp is everywhere.
  await chmod(join(rootfs, "tmp"), 0o1777);
  await copyFile(busybox, join(rootfs, "bin", "busybox"));
  await chmod(join(rootfs, "bin", "busybox"), 0o755);
  for (const applet of await listApplets(busybox)) {
    await symlink("busybox", join(rootfs, "bin", applet));
  }
  await writeFile(
    join(rootfs, "etc", "passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
  );
  await writeFile(join(rootfs, "etc", "group"), "root:x:0:\nnobody:x:65534:\n");
}

/** The applet names busybox was built with (`busybox --list`), minus itself. */
async function listApplets(busybox: string): Promise<string[]> {
  const { stdout } = await run(busybox, ["--list"]);
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((name) => name !== "" && name !== "busybox" && !name.includes("/"));
}

/** How to import an archive; see {@link importImage}. */
export interface ImportImageOptions {
  /** containerd's gRPC socket. */
  readonly address: string;
  /** An OCI archive, e.g. {@link BusyboxImage.archive}. */
  readonly archive: string;
  /** containerd namespace; `k8s.io` is the one the CRI plugin uses. */
  readonly namespace?: string;
  /** Snapshotter to unpack into; should match the CRI plugin's. Default containerd's. */
  readonly snapshotter?: string;
}

/**
 * Imports an OCI archive into containerd with `ctr images import` and
 * unpacks it, so the CRI plugin can run containers from it at once.
 */
export async function importImage(options: ImportImageOptions): Promise<void> {
  const args = ["--address", options.address, "-n", options.namespace ?? "k8s.io"];
  args.push("images", "import");
  if (options.snapshotter !== undefined) args.push("--snapshotter", options.snapshotter);
  args.push(options.archive);
  await run("ctr", args);
}

function rootlessFlag(): string[] {
  // Only root can create root-owned files; others get a rootless unpack.
  return process.getuid?.() === 0 ? [] : ["--rootless"];
}

async function umoci(...args: string[]): Promise<void> {
  await run("umoci", args);
}

/** Runs a program to completion; the error carries its stderr. */
async function run(file: string, args: readonly string[]): Promise<{ stdout: string }> {
  try {
    const { stdout } = await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024 });
    return { stdout };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? "";
    throw new Error(`${file} ${args.join(" ")} failed: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
