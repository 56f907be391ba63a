import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { writeKubeconfig } from "@kubekit/client";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureClusterPki } from "../src/up/cluster-pki.js";
import { acquireDataDirLock, DataDirInUseError, dataDirLayout } from "../src/up/data-dir.js";
import { imageArchives, PAUSE_IMAGE, startNodeRuntime } from "../src/up/node-runtime.js";

const run = promisify(execFile);

describe("kubekit up's parts", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir("up-parts");
  });
  afterAll(() => dir.remove());

  it("refuses a data dir another live process holds, and takes over a stale lock", async () => {
    const lockPath = join(dir.path, "a.lock");
    const held = await acquireDataDirLock(lockPath);
    // Another kubekit up (another pid) on the same dir is refused while this process lives.
    await expect(acquireDataDirLock(lockPath, process.pid + 1_000_000)).rejects.toBeInstanceOf(
      DataDirInUseError,
    );
    await held.release();
    // A lock left by a dead process is taken over.
    await writeFile(lockPath, "999999999\n");
    const again = await acquireDataDirLock(lockPath);
    expect((await readFile(lockPath, "utf8")).trim()).toBe(String(process.pid));
    await again.release();
    await expect(stat(lockPath)).rejects.toThrow();
  });

  it("issues the cluster's certificates once and reuses them", async () => {
    const names = { nodeName: "node-a", nodeIps: ["10.1.2.3"], kubernetesServiceIp: "10.43.0.1" };
    const first = await ensureClusterPki(join(dir.path, "pki"), names);
    const second = await ensureClusterPki(join(dir.path, "pki"), names);
    expect(second).toEqual(first);
    const apiserver = new X509Certificate(first.apiserver.cert);
    expect(apiserver.subjectAltName).toContain("DNS:kubernetes.default.svc.cluster.local");
    expect(apiserver.subjectAltName).toContain("IP Address:10.43.0.1");
    expect(apiserver.subjectAltName).toContain("IP Address:10.1.2.3");
    expect(new X509Certificate(first.admin.cert).subject).toBe(
      "O=system:masters\nCN=kubekit-admin",
    );
    expect(new X509Certificate(first.kubeletClient.cert).subject).toBe(
      "O=system:nodes\nCN=system:node:node-a",
    );
  });

  it("writes a kubeconfig kubectl reads, with the certificates inline and mode 0600", async () => {
    const pki = await ensureClusterPki(join(dir.path, "pki"), {
      nodeName: "node-a",
      nodeIps: [],
      kubernetesServiceIp: "10.43.0.1",
    });
    const path = join(dir.path, "kubeconfig");
    await writeKubeconfig(path, {
      server: "https://127.0.0.1:6443",
      caCert: pki.ca.cert,
      user: { clientCert: pki.admin.cert, clientKey: pki.admin.key },
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const { stdout } = await run("kubectl", [
      "--kubeconfig",
      path,
      "config",
      "view",
      "--raw",
      "-o",
      "jsonpath={.clusters[0].cluster.server} {.users[0].user.client-certificate-data}",
    ]);
    const [server, certData] = stdout.split(" ");
    expect(server).toBe("https://127.0.0.1:6443");
    expect(Buffer.from(certData ?? "", "base64").toString()).toBe(pki.admin.cert);
  });

  it("lists image archives to import, sorted, ignoring other files", async () => {
    const images = join(dir.path, "images");
    await run("mkdir", ["-p", images]);
    await Promise.all(
      ["b.tar", "a.tar.gz", "notes.txt", "c.oci"].map((f) => writeFile(join(images, f), "")),
    );
    expect((await imageArchives(images)).map((p) => p.slice(images.length + 1))).toEqual([
      "a.tar.gz",
      "b.tar",
      "c.oci",
    ]);
    expect(await imageArchives(join(dir.path, "missing"))).toEqual([]);
  });

  it("starts a private containerd with the offline pause image and the pod bridge network, and removes them on stop", async () => {
    const layout = dataDirLayout(join(dir.path, "data"));
    const runtime = await startNodeRuntime({
      layout,
      choice: "containerd",
      podCidr: "10.244.77.0/24",
      // Not kubekit0: the end-to-end suite may run a kubekit up beside this test.
      bridge: "kkparts0",
      log: () => {},
    });
    try {
      expect(runtime.kind).toBe("containerd");
      const address = runtime.endpoint.replace("unix://", "");
      const { stdout } = await run("ctr", [
        "--address",
        address,
        "-n",
        "k8s.io",
        "images",
        "ls",
        "-q",
      ]);
      expect(stdout.split("\n")).toContain(PAUSE_IMAGE);
      const conf = await readFile(join(layout.cniConf, "10-kkparts0.conflist"), "utf8");
      expect(JSON.parse(conf).plugins[0].ipam.ranges[0][0].subnet).toBe("10.244.77.0/24");
    } finally {
      await runtime.stop();
    }
    await expect(stat(join(layout.containerd, "state"))).rejects.toThrow();
    expect((await stat(join(layout.containerd, "root"))).isDirectory()).toBe(true);
  }, 180_000);

  it("falls back to the simulated runtime with a banner saying so", async () => {
    const layout = dataDirLayout(join(dir.path, "sim"));
    await run("mkdir", ["-p", layout.root]);
    const runtime = await startNodeRuntime({
      layout,
      choice: "sim",
      podCidr: "10.244.78.0/24",
      log: () => {},
    });
    try {
      expect(runtime.kind).toBe("sim");
      expect(runtime.banner).toMatch(/SIMULATED.*apt install containerd runc/);
      expect((await stat(layout.criSimSocket)).isSocket()).toBe(true);
    } finally {
      await runtime.stop();
    }
  });
});
