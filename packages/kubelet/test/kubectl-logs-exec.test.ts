import { type ApiServer, createApiServer } from "@kubekit/apiserver";
import { createStore } from "@kubekit/store-raft";
import { createTestPki, eventually, freePort, makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeletServer, type KubeletServer, type Pod } from "../src/index.js";
import { kubectl, startKubectl, writeKubeconfig } from "./kubectl-runner.js";
import { type NodeFixture, startNodeFixture } from "./node-fixture.js";

// The whole path of `kubectl logs` and `kubectl exec`: the real kubectl →
// our apiserver (on store-raft, in process) → our kubelet API server (client
// certificates from a test CA both ways) → containerd's CRI log files and
// streaming server. The Node and the bound Pod are written by hand; the
// engine runs the very Pod objects the apiserver holds (same uid).
describe("kubectl logs and exec through the apiserver and the kubelet", {
  timeout: 180_000,
}, () => {
  const pki = createTestPki();
  let node: NodeFixture;
  let kubelet: KubeletServer;
  let store: ReturnType<typeof createStore>;
  let api: ApiServer;
  let dir: TempDir;
  let kubeconfig: string;

  const ok = async (args: string[], stdin?: string) => {
    const r = await kubectl(kubeconfig, args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.code} ${r.stderr}`);
    return r.stdout;
  };

  /** Creates a pod bound to node-a through the API, hands the stored object to the engine, waits until it runs. */
  async function runPod(
    name: string,
    script: string,
    restartPolicy = "Always",
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default" },
      spec: {
        nodeName: "node-a",
        hostNetwork: true,
        restartPolicy,
        terminationGracePeriodSeconds: 2,
        containers: [
          { name: "main", image: node.busybox, command: ["sh", "-c", script], ...extra },
        ],
      },
    };
    await ok(["create", "--validate=false", "-f", "-"], JSON.stringify(manifest));
    const stored = JSON.parse(await ok(["get", "pod", name, "-o", "json"])) as Pod;
    node.source.set(stored);
    await eventually(
      `pod ${name} running`,
      async () => (node.sink.latest(stored.metadata.uid)?.phase === "Running" ? true : undefined),
      { timeoutMs: 60_000 },
    );
  }

  beforeAll(async () => {
    node = await startNodeFixture("kctl", 237);
    kubelet = createKubeletServer({
      pods: () => node.pods(),
      runtime: node.runtime,
      clientCA: pki.ca.cert,
      servingCert: pki.server("node-a"),
      logPollMs: 200,
    });
    const kubeletPort = await freePort();
    await kubelet.listen(kubeletPort, "127.0.0.1");

    const client = pki.client("kube-apiserver-kubelet-client", ["system:masters"]);
    store = createStore();
    api = await createApiServer({
      etcdTransport: store.transport,
      tokens: new Map([["admin-token", { name: "admin", uid: "1", groups: ["system:masters"] }]]),
      kubeletClientCert: client.cert,
      kubeletClientKey: client.key,
      kubeletCA: pki.ca.cert,
    });
    dir = await makeTempDir("kubelet-kubectl");
    const url = await api.listen(0);
    kubeconfig = await writeKubeconfig(dir.path, url, api.servingCert.cert, "admin-token");

    await ok(
      ["create", "--validate=false", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "node-a" } }),
    );
    const status = {
      status: {
        addresses: [
          { type: "InternalIP", address: "127.0.0.1" },
          { type: "Hostname", address: "node-a" },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    };
    await ok([
      "patch",
      "node",
      "node-a",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify(status),
    ]);
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await store?.close();
    await kubelet?.close();
    await node?.stop();
    await dir?.remove();
  }, 120_000);

  it("kubectl logs prints the container's output, and --tail=2 its last two lines", async () => {
    await runPod("web", "for i in 1 2 3 4; do echo line $i; done; sleep 3600");
    const all = await eventually("four lines", async () => {
      const out = await ok(["logs", "web"]);
      return out.split("\n").length > 4 ? out : undefined;
    });
    expect(all).toBe("line 1\nline 2\nline 3\nline 4\n");
    expect(await ok(["logs", "web", "--tail=2"])).toBe("line 3\nline 4\n");
    expect(await ok(["logs", "web", "-c", "main", "--limit-bytes=8"])).toBe("line 1\nl");
  });

  it("kubectl logs reports errors as upstream words them", async () => {
    const unbound = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "unbound" },
      spec: { containers: [{ name: "main", image: node.busybox }] },
    };
    await ok(["create", "--validate=false", "-f", "-"], JSON.stringify(unbound));
    const notScheduled = await kubectl(kubeconfig, ["logs", "unbound"]);
    expect(notScheduled.code).not.toBe(0);
    expect(notScheduled.stderr).toContain("pod unbound does not have a host assigned");
    const previous = await kubectl(kubeconfig, ["logs", "web", "--previous"]);
    expect(previous.code).not.toBe(0);
    expect(previous.stderr).toContain(
      'Error from server (BadRequest): previous terminated container "main" in pod "web" not found',
    );
  });

  it("kubectl exec runs a command, propagates its exit code, and passes stdin with -i", async () => {
    const hi = await kubectl(kubeconfig, ["exec", "web", "--", "echo", "hi"]);
    // kubectl 1.32 offers WebSocket v5 first; containerd's streaming server
    // knows only v1-v4 and refuses it, so kubectl falls back to SPDY.
    const verbose = await kubectl(kubeconfig, ["exec", "-v=6", "web", "--", "echo", "hi"]);
    expect(verbose.stdout).toBe("hi\n");
    expect(verbose.stderr).toMatch(/RemoteCommand fallback: .*websocket: bad handshake \(403/);
    expect(verbose.stderr).toMatch(/POST https:\S+\/exec\?\S+ 101 Switching Protocols/);
    expect(hi).toMatchObject({ code: 0, stdout: "hi\n" });
    const three = await kubectl(kubeconfig, [
      "exec",
      "web",
      "--",
      "sh",
      "-c",
      "echo out; echo err >&2; exit 3",
    ]);
    expect(three.code).toBe(3);
    expect(three.stdout).toBe("out\n");
    expect(three.stderr).toContain("err\n");
    const cat = await kubectl(kubeconfig, ["exec", "-i", "web", "--", "cat"], "piped through\n");
    expect(cat).toMatchObject({ code: 0, stdout: "piped through\n" });
  });

  it("kubectl attach -i feeds a container's stdin and shows its output", async () => {
    // stdinOnce: when the attached client closes stdin, the container's closes too, and cat ends.
    await runPod("echoer", "exec cat", "Never", { stdin: true, stdinOnce: true });
    const attached = await kubectl(kubeconfig, ["attach", "-i", "echoer"], "through attach\n");
    expect(attached.code).toBe(0);
    expect(attached.stdout).toBe("through attach\n");
  });

  it("kubectl logs -f streams appended lines and ends when the container exits", async () => {
    await runPod(
      "leaver",
      "echo start; while [ ! -f /tmp/stop ]; do sleep 0.2; done; echo bye",
      "Never",
    );
    const follow = startKubectl(kubeconfig, ["logs", "-f", "leaver"]);
    await eventually("start", async () => (follow.stdout() === "start\n" ? true : undefined), {
      timeoutMs: 60_000,
    });
    await ok(["exec", "leaver", "--", "sh", "-c", "echo middle > /proc/1/fd/1"]);
    await eventually("middle", async () =>
      follow.stdout() === "start\nmiddle\n" ? true : undefined,
    );
    await ok(["exec", "leaver", "--", "touch", "/tmp/stop"]);
    expect(await follow.done).toMatchObject({ code: 0, stdout: "start\nmiddle\nbye\n" });
  });
});
