import { readFile, statfs } from "node:fs/promises";
import { arch, availableParallelism, hostname, release } from "node:os";

/** What the kubelet learns about its machine, for the Node's capacity and nodeInfo. */
export interface HostFacts {
  cpus: number;
  memoryBytes: bigint;
  /** Size of the filesystem holding the kubelet's root directory. */
  ephemeralStorageBytes: bigint;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
  systemUUID: string;
  /** GOOS spelling: `linux`. */
  os: string;
  /** GOARCH spelling: `amd64`, `arm64`, ... */
  architecture: string;
  hostname: string;
}

/** Node's `process.arch` names in Go's spelling, which Kubernetes labels use. */
const GOARCH: Record<string, string> = {
  x64: "amd64",
  ia32: "386",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loong64",
};

/** Go's name for a Node.js architecture. */
export function goArch(nodeArch: string): string {
  return GOARCH[nodeArch] ?? nodeArch;
}

/** `MemTotal` of /proc/meminfo, in bytes; undefined when absent. */
export function parseMemTotal(meminfo: string): bigint | undefined {
  const match = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return match?.[1] ? BigInt(match[1]) * 1024n : undefined;
}

/** `PRETTY_NAME` of an os-release file, unquoted; undefined when absent. */
export function parsePrettyName(osRelease: string): string | undefined {
  const match = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  if (!match?.[1]) return undefined;
  return match[1].trim().replace(/^(["'])(.*)\1$/, "$2");
}

async function readTrimmed(path: string): Promise<string> {
  return (await readFile(path, "utf8").catch(() => "")).trim();
}

/**
 * Reads the host's facts: cpu count, memory from /proc/meminfo, the size of
 * `rootDir`'s filesystem, kernel, OS image, and the machine/boot/system ids
 * where readable (empty otherwise, as upstream leaves them).
 */
export async function readHostFacts(rootDir: string): Promise<HostFacts> {
  const meminfo = await readTrimmed("/proc/meminfo");
  const fs = await statfs(rootDir, { bigint: true }).catch(() => undefined);
  const osRelease =
    (await readTrimmed("/etc/os-release")) || (await readTrimmed("/usr/lib/os-release"));
  return {
    cpus: availableParallelism(),
    memoryBytes: parseMemTotal(meminfo) ?? 0n,
    ephemeralStorageBytes: fs ? fs.blocks * fs.bsize : 0n,
    kernelVersion: release(),
    osImage: parsePrettyName(osRelease) ?? "Linux",
    machineID: await readTrimmed("/etc/machine-id"),
    bootID: await readTrimmed("/proc/sys/kernel/random/boot_id"),
    systemUUID: (await readTrimmed("/sys/class/dmi/id/product_uuid")).toLowerCase(),
    os: process.platform,
    architecture: goArch(arch()),
    hostname: hostname().toLowerCase(),
  };
}
