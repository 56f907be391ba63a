import { createTestPki, eventually, freePort } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createKubeletServer, type KubeletServer, type Pod } from "../src/index.js";
import { makePod } from "./helpers.js";
import { channelExec, kubeletFollow, kubeletGet } from "./kubelet-client.js";
import { type NodeFixture, startNodeFixture } from "./node-fixture.js";

// The kubelet API on a real containerd node: logs read from the CRI log
// files containerd writes, exec through containerd's streaming server.
// (stdout and stderr are separate pipes, so their order in a log is not
// fixed: the log tests write to stdout only.)
describe("kubelet API server", { timeout: 180_000 }, () => {
  const pki = createTestPki();
  const apiserverCreds = pki.client("kube-apiserver-kubelet-client", ["system:masters"]);
  const strangerCreds = createTestPki("other-ca").client("kube-apiserver-kubelet-client");
  let node: NodeFixture;
  let kubelet: KubeletServer;
  let base: string;

  async function runningPod(pod: Pod): Promise<void> {
    node.source.set(pod);
    await eventually(
      `pod ${pod.metadata.name} running`,
      async () => (node.sink.latest(pod.metadata.uid)?.phase === "Running" ? true : undefined),
      { timeoutMs: 60_000 },
    );
  }

  const logs = (pod: string, query = "") =>
    kubeletGet(base, `/containerLogs/default/${pod}/main${query}`, apiserverCreds);

  /** Runs a command in the pod's main container through the kubelet, over WebSocket. */
  const exec = (pod: string, command: string[], stdin?: string) => {
    const query = new URLSearchParams([
      ...command.map((c): [string, string] => ["command", c]),
      ["output", "1"],
      ["error", "1"],
      ...(stdin === undefined ? [] : [["input", "1"] as [string, string]]),
    ]);
    return channelExec(
      `${base.replace("https:", "wss:")}/exec/default/${pod}/main?${query}`,
      apiserverCreds,
      stdin,
    );
  };

  beforeAll(async () => {
    node = await startNodeFixture("kapi", 236);
    kubelet = createKubeletServer({
      pods: () => node.pods(),
      runtime: node.runtime,
      clientCA: pki.ca.cert,
      servingCert: pki.server("node-a"),
      logPollMs: 200,
    });
    base = await kubelet.listen(await freePort(), "127.0.0.1");
  }, 180_000);

  afterAll(async () => {
    await kubelet?.close();
    await node?.stop();
  }, 120_000);

  it("refuses requests without a client certificate from its CA (401)", async () => {
    expect(await kubeletGet(base, "/healthz")).toEqual({ status: 401, body: "Unauthorized" });
    expect((await kubeletGet(base, "/pods", strangerCreds)).status).toBe(401);
    expect(await kubeletGet(base, "/healthz", apiserverCreds)).toEqual({ status: 200, body: "ok" });
  });

  it("serves the container's log with tail, timestamps and limitBytes, and lists its pods", async () => {
    const pod = makePod(
      "talker",
      [
        {
          name: "main",
          image: node.busybox,
          command: ["sh", "-c", "echo one; echo two; echo three; sleep 3600"],
        },
      ],
      { hostNetwork: true },
    );
    await runningPod(pod);
    const all = await eventually("three lines logged", async () => {
      const r = await logs("talker");
      return r.body.split("\n").length >= 4 ? r : undefined;
    });
    expect(all).toEqual({ status: 200, body: "one\ntwo\nthree\n" });
    expect((await logs("talker", "?tailLines=2")).body).toBe("two\nthree\n");
    expect((await logs("talker", "?limitBytes=6")).body).toBe("one\ntw");
    expect((await logs("talker", "?timestamps=true&tailLines=1")).body).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) three\n$/,
    );
    expect((await logs("talker", "?sinceTime=2999-01-01T00:00:00Z")).body).toBe("");

    const list = JSON.parse((await kubeletGet(base, "/pods", apiserverCreds)).body);
    expect(list.kind).toBe("PodList");
    expect(list.items.map((p: Pod) => p.metadata.name)).toContain("talker");

    expect(await logs("nobody")).toEqual({ status: 404, body: 'pod "nobody" does not exist' });
    expect(await kubeletGet(base, "/containerLogs/default/talker/other", apiserverCreds)).toEqual({
      status: 404,
      body: 'container "other" not found in pod "talker"',
    });
    expect(await logs("talker", "?previous=true")).toEqual({
      status: 400,
      body: 'previous terminated container "main" in pod "talker" not found',
    });
  });

  it("runs a command through exec (WebSocket): output, stderr, exit code and stdin", async () => {
    const hi = await exec("talker", ["sh", "-c", "echo hi; echo oops >&2; exit 3"]);
    expect(hi.stdout).toBe("hi\n");
    expect(hi.stderr).toBe("oops\n");
    expect(hi.status.status).toBe("Failure");
    expect(hi.status.details?.causes).toContainEqual({ reason: "ExitCode", message: "3" });
    const ok = await exec("talker", ["true"]);
    expect(ok.status.status).toBe("Success");
    // head -c reads exactly what is sent, so the v4 protocol's lack of a stdin close does not matter.
    const echoed = await exec("talker", ["head", "-c", "5"], "hello");
    expect(echoed.stdout).toBe("hello");
  });

  it("follows a log: lines appended later arrive, and the stream ends when the client goes", async () => {
    const followed = kubeletFollow(
      base,
      "/containerLogs/default/talker/main?follow=true&tailLines=1",
      apiserverCreds,
    );
    expect(await followed.status).toBe(200);
    await eventually("the tail line", async () =>
      followed.text() === "three\n" ? true : undefined,
    );
    // Write to the container's own stdout: the runtime appends it to the log file.
    await exec("talker", ["sh", "-c", "echo appended > /proc/1/fd/1"]);
    await eventually("the appended line", async () =>
      followed.text() === "three\nappended\n" ? true : undefined,
    );
    followed.close();
    await followed.ended;
    // Nothing to send yet (tailLines=0): the 200 still comes at once.
    const quiet = kubeletFollow(
      base,
      "/containerLogs/default/talker/main?follow=true&tailLines=0",
      apiserverCreds,
    );
    expect(await quiet.status).toBe(200);
    expect(quiet.text()).toBe("");
    quiet.close();
    await quiet.ended;
  });

  it("ends a follow once the container exits and its log is drained", async () => {
    const pod = makePod(
      "leaver",
      [
        {
          name: "main",
          image: node.busybox,
          command: [
            "sh",
            "-c",
            "echo start; while [ ! -f /tmp/stop ]; do sleep 0.2; done; echo bye",
          ],
        },
      ],
      { hostNetwork: true, restartPolicy: "Never" },
    );
    await runningPod(pod);
    const followed = kubeletFollow(
      base,
      "/containerLogs/default/leaver/main?follow=1",
      apiserverCreds,
    );
    await eventually("start", async () => (followed.text() === "start\n" ? true : undefined));
    await exec("leaver", ["touch", "/tmp/stop"]);
    await followed.ended;
    expect(followed.text()).toBe("start\nbye\n");
  });

  it("serves the previous instance's log after a restart", async () => {
    // The first instance exits 1; the second counts 2 and stays up.
    const script =
      "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run $n; " +
      'if [ "$n" = 1 ]; then exit 1; fi; sleep 3600';
    const pod = makePod(
      "restarter",
      [
        {
          name: "main",
          image: node.busybox,
          command: ["sh", "-c", script],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        },
      ],
      { hostNetwork: true, volumes: [{ name: "data", emptyDir: {} }] },
    );
    node.source.set(pod);
    await eventually(
      "the second instance running",
      async () => {
        const s = node.sink.latest(pod.metadata.uid)?.containerStatuses[0];
        return s?.restartCount === 1 && s.state.running ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const current = await eventually("the current log", async () => {
      const r = await logs("restarter");
      return r.body === "" ? undefined : r;
    });
    expect(current).toEqual({ status: 200, body: "run 2\n" });
    expect(await logs("restarter", "?previous=true")).toEqual({ status: 200, body: "run 1\n" });
  });

  it("attaches to a running container's output, and lists what runs in /runningpods/", async () => {
    const pod = makePod(
      "ticker",
      [
        {
          name: "main",
          image: node.busybox,
          command: ["sh", "-c", "while true; do echo tick; sleep 0.3; done"],
        },
      ],
      { hostNetwork: true },
    );
    await runningPod(pod);
    const url = `${base.replace("https:", "wss:")}/attach/default/ticker/main?output=1&error=1`;
    const ws = new WebSocket(url, ["v4.channel.k8s.io"], {
      ...apiserverCreds,
      rejectUnauthorized: false,
    });
    let stdout = "";
    ws.on("message", (data: Buffer) => {
      if (data[0] === 1) stdout += data.subarray(1).toString();
    });
    await eventually("ticks through attach", async () =>
      stdout.includes("tick\ntick\n") ? true : undefined,
    );
    ws.close();

    const running = JSON.parse((await kubeletGet(base, "/runningpods/", apiserverCreds)).body);
    const ticker = running.items.find((p: Pod) => p.metadata.name === "ticker");
    expect(ticker.metadata).toMatchObject({ namespace: "default", uid: pod.metadata.uid });
    expect(ticker.spec.containers).toEqual([
      // The image as the runtime names it (containerd: the image id).
      { name: "main", image: expect.stringMatching(/.+/), resources: {} },
    ]);
  });

  it("counts requests in /metrics", async () => {
    const { status, body } = await kubeletGet(base, "/metrics", apiserverCreds);
    expect(status).toBe(200);
    expect(body).toMatch(/kubelet_http_requests_total\{[^}]*path="containerLogs"[^}]*\} \d+/);
  });
});
