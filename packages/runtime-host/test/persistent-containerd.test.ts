import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBusyboxImage, importImage, startContainerd } from "../src/index.js";

const execFileAsync = promisify(execFile);

async function imageRefs(address: string): Promise<string[]> {
  const { stdout } = await execFileAsync("ctr", [
    "--address",
    address,
    "-n",
    "k8s.io",
    "images",
    "ls",
    "-q",
  ]);
  return stdout.split("\n").filter((line) => line !== "");
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

// A node's containerd keeps its images across restarts: `kubekit up` runs
// it in a directory under its data dir and expects them back.
describe("a containerd in a directory of its own", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "kubekit-runtime-host-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("keeps root (and images) across a restart, and removes its runtime state on stop", async () => {
    const dir = join(work, "containerd");
    const image = await buildBusyboxImage({ dir: join(work, "images"), tag: "persist" });

    const first = await startContainerd({ dir });
    try {
      await importImage({
        address: first.address,
        archive: image.archive,
        snapshotter: first.snapshotter,
      });
      expect(await imageRefs(first.address)).toContain(image.ref);
    } finally {
      await first.stop();
    }
    expect(await exists(join(dir, "root"))).toBe(true);
    expect(await exists(join(dir, "state"))).toBe(false);
    expect(await exists(first.address)).toBe(false);

    const second = await startContainerd({ dir });
    try {
      expect(second.address).toBe(first.address);
      expect(await imageRefs(second.address)).toContain(image.ref);
    } finally {
      await second.stop();
    }
    expect(await readdir(dir)).toContain("root");
  }, 120_000);
});
