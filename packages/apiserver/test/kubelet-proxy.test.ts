import { describe, expect, it } from "vitest";
import {
  kubeletBaseUrl,
  kubeletErrorStatus,
  kubeletStreamQuery,
  nodeKubeletTarget,
  upgradeHead,
} from "../src/index.js";

const node = (addresses: { type: string; address: string }[], port?: number) => ({
  metadata: { name: "n" },
  status: { addresses, ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
});

describe("nodeKubeletTarget", () => {
  it("prefers InternalIP, then Hostname, with the kubelet's reported port (10250 by default)", () => {
    expect(
      nodeKubeletTarget(
        node(
          [
            { type: "Hostname", address: "node-a" },
            { type: "InternalIP", address: "10.0.0.5" },
          ],
          10999,
        ),
      ),
    ).toEqual({ ok: true, target: { host: "10.0.0.5", port: 10999 } });
    expect(nodeKubeletTarget(node([{ type: "Hostname", address: "node-a" }]))).toEqual({
      ok: true,
      target: { host: "node-a", port: 10250 },
    });
  });

  it("says what addresses it knew when none will do", () => {
    expect(nodeKubeletTarget(node([{ type: "Weird", address: "x" }]))).toEqual({
      ok: false,
      message: "no preferred addresses found; known addresses: [{Weird x}]",
    });
    expect(nodeKubeletTarget({ metadata: { name: "n" } })).toMatchObject({ ok: false });
  });

  it("brackets IPv6 hosts in URLs", () => {
    expect(kubeletBaseUrl({ host: "fd00::1", port: 10250 })).toBe("https://[fd00::1]:10250");
  });
});

describe("kubeletStreamQuery", () => {
  it("turns PodExecOptions into the kubelet's query, as upstream's streamParams", () => {
    const q = new URLSearchParams(
      "command=sh&command=-c&command=exit 3&stdin=true&stdout=true&stderr=true&tty=false&container=main",
    );
    expect(kubeletStreamQuery("exec", q)).toBe(
      "input=1&output=1&error=1&command=sh&command=-c&command=exit+3",
    );
    expect(kubeletStreamQuery("attach", q)).toBe("input=1&output=1&error=1");
  });
});

describe("kubeletErrorStatus", () => {
  it("carries the kubelet's code and text", () => {
    expect(
      kubeletErrorStatus(
        400,
        'container "main" in pod "web" is waiting to start: ContainerCreating\n',
      ),
    ).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message: 'container "main" in pod "web" is waiting to start: ContainerCreating',
    });
    expect(kubeletErrorStatus(502, "")).toMatchObject({
      code: 502,
      reason: "InternalError",
      message: "the server responded with the status code 502 but did not return more information",
    });
  });
});

describe("upgradeHead", () => {
  it("keeps the upgrade headers and drops the client's bearer token", () => {
    expect(
      upgradeHead("POST", "/exec/default/web/main?output=1", "127.0.0.1:10250", [
        "Host",
        "127.0.0.1:6443",
        "Authorization",
        "Bearer admin",
        "X-Stream-Protocol-Version",
        "v4.channel.k8s.io",
        "Upgrade",
        "SPDY/3.1",
        "Connection",
        "Upgrade",
      ]),
    ).toBe(
      "POST /exec/default/web/main?output=1 HTTP/1.1\r\nHost: 127.0.0.1:10250\r\n" +
        "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n\r\n",
    );
  });
});
