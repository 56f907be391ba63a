import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  buildBusyboxImage,
  eventually,
  freePort,
  makeTempDir,
  type TempDir,
} from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUp, type UpPorts, type UpProcess } from "./kubekit-up.js";

const run = promisify(execFile);
const manifest = fileURLToPath(new URL("../manifests/app.yaml", import.meta.url));

/** GET over plain HTTP from the host; resolves with the body. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += String(chunk);
      });
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
  });
}

interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  ip?: string;
  image?: string;
}

async function webPods(up: UpProcess): Promise<PodSummary[]> {
  const list = JSON.parse(
    await up.kubectl("get", "pods", "-n", "e2e", "-l", "app=web", "-o", "json"),
  );
  return list.items
    .filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp)
    .map(
      (p: {
        metadata: { name: string };
        spec: { containers: { image: string }[] };
        status: Record<string, unknown>;
      }) => ({
        name: p.metadata.name,
        phase: String(p.status.phase),
        ready: ((p.status.conditions as { type: string; status: string }[] | undefined) ?? []).some(
          (c) => c.type === "Ready" && c.status === "True",
        ),
        ip: p.status.podIP as string | undefined,
        image: p.spec.containers[0]?.image,
      }),
    );
}

/** Names of leftovers on the host that belong to this data dir: shims, mounts. */
async function leftovers(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const { stdout } = await run("ps", ["-eo", "args"]);
  for (const line of stdout.split("\n")) {
    if (line.includes(dataDir) && !line.includes("vitest")) found.push(`process: ${line}`);
  }
  const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
  for (const line of mountinfo.split("\n")) {
    const point = line.split(" ")[4];
    if (point?.startsWith(dataDir)) found.push(`mount: ${point}`);
  }
  return found;
}

// issue #8: kubectl against `kubekit up` with containerd, step by step.
describe("kubekit up with containerd, end to end", () => {
  let work: TempDir;
  let dataDir: string;
  let ports: UpPorts;
  let up: UpProcess;

  beforeAll(async () => {
    work = await makeTempDir("e2e-up");
    dataDir = join(work.path, "data");
    ports = {
      securePort: await freePort(),
      storeClientPort: await freePort(),
      storePeerPort: await freePort(),
      kubeletPort: await freePort(),
    };
    // Air-gapped images, as k3s takes them: archives in <data-dir>/images are imported at start.
    await mkdir(join(dataDir, "images"), { recursive: true });
    for (const tag of ["v1", "v2"]) {
      const image = await buildBusyboxImage({ dir: join(work.path, "build"), tag });
      await copyFile(image.archive, join(dataDir, "images", `busybox-${tag}.tar`));
    }
    up = await startUp(dataDir, ports, ["--runtime", "containerd"]);
  });
  afterAll(async () => {
    await up?.stop();
    await work?.remove();
  });

  it("has a Ready node", async () => {
    await eventually(
      "the node to be Ready",
      async () => {
        const out = await up.kubectl(
          "get",
          "nodes",
          "-o",
          'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}',
        );
        return out === "True" ? out : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  it("applies the app and rolls the Deployment out with pods reachable from the host", async () => {
    await up.kubectl("apply", "-f", manifest);
    await up.kubectl("rollout", "status", "deployment/web", "-n", "e2e", "--timeout=240s");
    const pods = await webPods(up);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod).toMatchObject({ phase: "Running", ready: true });
      expect(pod.ip).toMatch(/^10\.244\.0\.\d+$/);
      expect(await httpGet(`http://${pod.ip}:8080/index.html`)).toBe("hello from kubekit\n");
    }
  });

  it("gives the service a ClusterIP and endpoints for the ready pods", async () => {
    const ip = await up.kubectl(
      "get",
      "service",
      "web",
      "-n",
      "e2e",
      "-o",
      "jsonpath={.spec.clusterIP}",
    );
    expect(ip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    const podIps = (await webPods(up)).map((p) => p.ip).sort();
    await eventually(
      "the endpoints to list both pods",
      async () => {
        const out = await up.kubectl(
          "get",
          "endpoints",
          "web",
          "-n",
          "e2e",
          "-o",
          "jsonpath={.subsets[0].addresses[*].ip}",
        );
        const ips = out.split(" ").filter(Boolean).sort();
        return JSON.stringify(ips) === JSON.stringify(podIps) ? ips : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });

  it("serves kubectl exec with env from the ConfigMap, the Secret and the downward API", async () => {
    const [pod] = await webPods(up);
    const out = await up.kubectl(
      "exec",
      "-n",
      "e2e",
      pod!.name,
      "--",
      "sh",
      "-c",
      "echo $GREETING $TOKEN $POD_NAME",
    );
    expect(out.trim()).toBe(`hi s3cret ${pod!.name}`);
  });

  it("serves kubectl logs", async () => {
    const [pod] = await webPods(up);
    // The readiness probe's GETs show in busybox httpd's verbose log (`-v`: one "response:200" line each).
    await eventually(
      "httpd to have logged a request",
      async () =>
        (await up.kubectl("logs", "-n", "e2e", pod!.name)).includes("response:200")
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });

  it("completes the Job, whose logs say so", async () => {
    await up.kubectl(
      "wait",
      "--for=condition=complete",
      "job/hello",
      "-n",
      "e2e",
      "--timeout=180s",
    );
    expect((await up.kubectl("logs", "-n", "e2e", "job/hello")).trim()).toBe("hello from the job");
  });

  it("scales to 4 and rolls out a new image tag", async () => {
    await up.kubectl("scale", "deployment/web", "-n", "e2e", "--replicas=4");
    await up.kubectl("rollout", "status", "deployment/web", "-n", "e2e", "--timeout=240s");
    expect((await webPods(up)).filter((p) => p.ready)).toHaveLength(4);

    await up.kubectl(
      "set",
      "image",
      "deployment/web",
      "-n",
      "e2e",
      "httpd=docker.io/kubekit/busybox:v2",
    );
    await up.kubectl("rollout", "status", "deployment/web", "-n", "e2e", "--timeout=300s");
    await eventually(
      "only v2 pods, 4 of them ready",
      async () => {
        const pods = await webPods(up);
        return pods.length === 4 &&
          pods.every((p) => p.ready && p.image === "docker.io/kubekit/busybox:v2")
          ? pods
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  it("deletes the namespace and everything in it", async () => {
    await up.kubectl("delete", "namespace", "e2e", "--wait=true", "--timeout=240s");
    const left = await up.kubectl(
      "get",
      "pods,deployments,services,jobs,configmaps",
      "-n",
      "e2e",
      "-o",
      "name",
    );
    expect(left.trim()).toBe("");
  });

  it("stops cleanly on SIGTERM and comes back as it was on the same data dir", async () => {
    await up.kubectl("create", "configmap", "marker", "--from-literal=kept=yes");
    expect(await up.stop()).toBe(0);
    expect(await leftovers(dataDir)).toEqual([]);

    up = await startUp(dataDir, ports, ["--runtime", "containerd"]);
    expect(await up.kubectl("get", "configmap", "marker", "-o", "jsonpath={.data.kept}")).toBe(
      "yes",
    );
    await eventually(
      "the node to be Ready again",
      async () => {
        const out = await up.kubectl(
          "get",
          "nodes",
          "-o",
          'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}',
        );
        return out === "True" ? out : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  it("refuses a second kubekit up on a data dir in use", async () => {
    const other = {
      securePort: await freePort(),
      storeClientPort: await freePort(),
      storePeerPort: await freePort(),
    };
    const second = await run(process.execPath, [
      fileURLToPath(new URL("../../../packages/kubekit/bin/kubekit.js", import.meta.url)),
      "up",
      "--data-dir",
      dataDir,
      "--secure-port",
      String(other.securePort),
      "--store-client-port",
      String(other.storeClientPort),
      "--store-peer-port",
      String(other.storePeerPort),
    ]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by another kubekit up \(pid \d+\)/);
  });
});
