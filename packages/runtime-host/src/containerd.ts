import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect as http2Connect } from "node:http2";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** How to start a private containerd; every field has a default. */
export interface ContainerdOptions {
  /** Image the CRI plugin runs as each pod's sandbox; default containerd's (`registry.k8s.io/pause:3.6`). */
  readonly sandboxImage?: string;
  /** CNI network configs the CRI plugin reads; default an empty private directory. */
  readonly cniConfDir?: string;
  /** CNI plugin binaries; default Debian's `/usr/lib/cni`. */
  readonly cniBinDir?: string;
  /** Snapshotter for images and containers; default overlayfs where it mounts here, else native. */
  readonly snapshotter?: "overlayfs" | "native";
  /** How long to wait for the CRI service to answer; default 20 s. */
  readonly startTimeoutMs?: number;
  /** The containerd binary; default `containerd` from PATH. */
  readonly binary?: string;
  /**
   * A directory of its own for config, root, state and socket, kept across
   * restarts: stop() removes the runtime state but keeps `root` (images and
   * snapshots), as a node's containerd does. Default: a fresh temp
   * directory, removed entirely on stop().
   */
  readonly dir?: string;
}

/** A running private containerd, and how to get rid of it. */
export interface Containerd {
  /** Path of its gRPC unix socket: containerd's API and the CRI services. */
  readonly address: string;
  /** Its persistent data directory (content, snapshots, metadata). */
  readonly root: string;
  /** Its runtime state directory (sockets, task bundles, runc state, netns). */
  readonly state: string;
  /** The snapshotter the CRI plugin uses; pass it on to `importImage`. */
  readonly snapshotter: "overlayfs" | "native";
  /** The CNI config directory the CRI plugin reads. */
  readonly cniConfDir: string;
  /** The last lines containerd wrote to its log. */
  logTail(): string;
  /**
   * Stops containerd, then removes everything it left: containers, shims,
   * mounts and directories. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** Bytes of containerd's log kept for error messages. */
const LOG_TAIL_BYTES = 8192;

/**
 * Plugins that cannot work in this environment (no such filesystems or
 * devices) or are not wanted in tests; disabling them keeps the log to
 * what matters.
 */
const DISABLED_PLUGINS = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
];

/**
 * Starts Debian's containerd with a config file of its own: root, state and
 * sockets in a fresh temp directory, no debug or metrics listeners, the CRI
 * plugin on the same socket with its own CNI config dir, netns mounts and
 * runc state kept under the private state dir, and
 * `restrict_oom_score_adj = true` (root here lacks CAP_SYS_RESOURCE, and
 * runc fails to start containers that would raise their OOM score).
 *
 * Resolves once the CRI `RuntimeService/Version` call succeeds; rejects with
 * the log tail if that does not happen within the timeout (default 20 s).
 */
export async function startContainerd(options: ContainerdOptions = {}): Promise<Containerd> {
  const persistent = options.dir !== undefined;
  const base = options.dir ?? (await mkdtemp(join(tmpdir(), "kubekit-containerd-")));
  const root = join(base, "root");
  const state = join(base, "state");
  const address = join(base, "containerd.sock");
  const cniConfDir = options.cniConfDir ?? join(base, "cni");
  const snapshotter = options.snapshotter ?? (await detectSnapshotter());
  // A kept directory may hold what an earlier run left when it was killed:
  // its containers, shims and mounts go before a new containerd starts.
  if (persistent) await cleanUp({ base, state, address, keepRoot: true });
  await Promise.all([
    mkdir(root, { recursive: true }),
    mkdir(state, { recursive: true }),
    mkdir(cniConfDir, { recursive: true }),
  ]);
  const configPath = join(base, "config.toml");
  await writeFile(
    configPath,
    renderConfig({
      root,
      state,
      address,
      cniConfDir,
      cniBinDir: options.cniBinDir ?? "/usr/lib/cni",
      snapshotter,
      ...(options.sandboxImage === undefined ? {} : { sandboxImage: options.sandboxImage }),
    }),
  );

  const child = spawn(options.binary ?? "containerd", ["--config", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-LOG_TAIL_BYTES);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Settles when the process is gone, or never started: a spawn failure
  // (binary missing) arrives as an error event and no exit event.
  let running = true;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running = false;
      resolve();
    });
    child.once("error", (error) => {
      keep(Buffer.from(`\nspawn error: ${error.message}\n`));
      spawnError = error;
      running = false;
      resolve();
    });
  });

  let stopped = false;
  const instance: Containerd = {
    address,
    root,
    state,
    snapshotter,
    cniConfDir,
    logTail: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running) await terminate(child, exited);
      await cleanUp({ base, state, address, keepRoot: persistent });
    },
  };

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastError = "no answer yet";
  while (Date.now() < deadline) {
    if (!running) {
      lastError =
        spawnError === undefined
          ? `containerd exited (${child.exitCode ?? child.signalCode})`
          : `containerd did not start: ${spawnError.message}`;
      break;
    }
    const answer = await probeCri(address);
    if (answer === "ok") return instance;
    lastError = answer;
    await sleep(100);
  }
  await instance.stop();
  throw new Error(
    `containerd did not serve CRI within ${timeoutMs} ms (${lastError}); log tail:\n${log}`,
  );
}

/** The parts of containerd's config that vary between instances. */
export interface ContainerdConfigValues {
  readonly root: string;
  readonly state: string;
  readonly address: string;
  readonly cniConfDir: string;
  readonly cniBinDir: string;
  readonly snapshotter: string;
  readonly sandboxImage?: string;
}

/** containerd's config (version 2), TOML, from the values that vary. */
export function renderConfig(values: ContainerdConfigValues): string {
  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  const quote = (text: string) => JSON.stringify(text);
  const lines = [
    "version = 2",
    `root = ${quote(values.root)}`,
    `state = ${quote(values.state)}`,
    `disabled_plugins = [${DISABLED_PLUGINS.map(quote).join(", ")}]`,
    "",
    "[grpc]",
    `  address = ${quote(values.address)}`,
    "[ttrpc]",
    `  address = ${quote(`${values.address}.ttrpc`)}`,
    "[debug]",
    `  address = ""`,
    "[metrics]",
    `  address = ""`,
    "",
    `[plugins."io.containerd.internal.v1.opt"]`,
    `  path = ${quote(join(values.root, "opt"))}`,
    "",
    `[${cri}]`,
    ...(values.sandboxImage === undefined
      ? []
      : [`  sandbox_image = ${quote(values.sandboxImage)}`]),
    "  restrict_oom_score_adj = true",
    // Pod network namespaces are bind-mounted under our state dir rather
    // than the host's /var/run/netns, so stop() can find and unmount them.
    "  netns_mounts_under_state_dir = true",
    `  stream_server_address = "127.0.0.1"`,
    `  stream_server_port = "0"`,
    "  disable_tcp_service = true",
    `[${cri}.cni]`,
    `  bin_dir = ${quote(values.cniBinDir)}`,
    `  conf_dir = ${quote(values.cniConfDir)}`,
    `[${cri}.containerd]`,
    `  snapshotter = ${quote(values.snapshotter)}`,
    `  default_runtime_name = "runc"`,
    `[${cri}.containerd.runtimes.runc]`,
    `  runtime_type = "io.containerd.runc.v2"`,
    `[${cri}.containerd.runtimes.runc.options]`,
    // runc's own state goes under our state dir, not /run/containerd/runc,
    // so leftovers can be found and deleted after containerd is gone.
    `  Root = ${quote(runcRoot(values.state))}`,
    "",
  ];
  return lines.join("\n");
}

function runcRoot(state: string): string {
  return join(state, "runc");
}

let snapshotterProbe: Promise<"overlayfs" | "native"> | undefined;

/**
 * overlayfs when an overlay mount works here (it needs root and a kernel
 * and filesystem that allow it), native otherwise. Probed once per process.
 */
export function detectSnapshotter(): Promise<"overlayfs" | "native"> {
  snapshotterProbe ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "kubekit-overlay-probe-"));
    try {
      await Promise.all(["lower", "upper", "work", "merged"].map((d) => mkdir(join(dir, d))));
      const options = `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`;
      await execFileAsync("mount", ["-t", "overlay", "overlay", "-o", options, `${dir}/merged`]);
      await execFileAsync("umount", [`${dir}/merged`]);
      return "overlayfs" as const;
    } catch {
      return "native" as const;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return snapshotterProbe;
}

/**
 * One unary gRPC call of `runtime.v1.RuntimeService/Version` with an empty
 * request (which encodes to zero bytes), over HTTP/2 on the unix socket.
 * Done by hand so testkit needs no generated code: "ok" when grpc-status is
 * 0, else a short reason.
 */
function probeCri(address: string): Promise<string> {
  return new Promise((resolve) => {
    const session = http2Connect("http://localhost", {
      createConnection: () => netConnect(address),
    });
    let done = false;
    const finish = (result: string) => {
      if (done) return;
      done = true;
      session.close();
      session.destroy();
      resolve(result);
    };
    session.on("error", (error) => finish(error.message));
    session.setTimeout(2000, () => finish("timeout"));
    const stream = session.request({
      ":method": "POST",
      ":path": "/runtime.v1.RuntimeService/Version",
      "content-type": "application/grpc",
      te: "trailers",
    });
    let status: string | undefined;
    let message = "";
    const read = (headers: Record<string, unknown>) => {
      const value = headers["grpc-status"];
      if (value !== undefined) status = String(value);
      if (headers["grpc-message"] !== undefined) message = String(headers["grpc-message"]);
    };
    stream.on("response", read);
    stream.on("trailers", read);
    stream.on("data", () => {});
    stream.on("error", (error) => finish(error.message));
    stream.on("close", () =>
      finish(status === "0" ? "ok" : `grpc-status ${status ?? "missing"} ${message}`),
    );
    // gRPC frame: not compressed (0), length 0 (big-endian u32), no body.
    stream.end(Buffer.alloc(5));
  });
}

/** SIGTERM, a grace period, then SIGKILL. */
async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  child.kill("SIGTERM");
  const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!graceful) {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Removes what a stopped containerd leaves behind: containers still
 * running under runc (deleted by force, which also removes their cgroups),
 * shims serving this containerd, mounts under its directories, and the
 * directories themselves — all but `root` when `keepRoot` is set.
 */
async function cleanUp(paths: {
  base: string;
  state: string;
  address: string;
  keepRoot?: boolean;
}): Promise<void> {
  await killShims(paths.address);
  const runc = runcRoot(paths.state);
  for (const namespace of await listDir(runc)) {
    const namespaceRoot = join(runc, namespace);
    for (const id of await listDir(namespaceRoot)) {
      await execFileAsync("runc", ["--root", namespaceRoot, "delete", "--force", id]).catch(
        () => {},
      );
    }
  }
  await unmountUnder(paths.base);
  if (paths.keepRoot) {
    await rm(paths.state, { recursive: true, force: true });
    await rm(paths.address, { force: true });
    await rm(`${paths.address}.ttrpc`, { force: true });
  } else {
    await rm(paths.base, { recursive: true, force: true });
  }
}

/**
 * Shims outlive containerd by design. Ours are the `containerd-shim*`
 * processes whose arguments name our socket (`-address <socket>`).
 */
async function killShims(address: string): Promise<void> {
  for (const pid of await listDir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const args = cmdline.split("\0");
    if (!args[0]?.includes("containerd-shim")) continue;
    const at = args.indexOf("-address");
    if (at >= 0 && args[at + 1] === address) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}

/** Unmounts every mount at or below `dir`, deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  // Bounded: each pass unmounts at least one mount or stops.
  for (let pass = 0; pass < 50; pass++) {
    const mounts = await mountsUnder(dir);
    if (mounts.length === 0) return;
    let progress = false;
    for (const mount of mounts) {
      const result = await execFileAsync("umount", [mount]).then(
        () => true,
        () =>
          execFileAsync("umount", ["-l", mount]).then(
            () => true,
            () => false,
          ),
      );
      progress ||= result;
    }
    if (!progress) return;
  }
}

async function mountsUnder(dir: string): Promise<string[]> {
  const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
  const points = mountinfo
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => point !== undefined)
    // mountinfo escapes space, tab, newline and backslash as octal.
    .map((point) =>
      point.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(Number.parseInt(octal, 8))),
    )
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return points.sort((a, b) => b.length - a.length);
}

async function listDir(dir: string): Promise<string[]> {
  return await readdir(dir).catch(() => []);
}
