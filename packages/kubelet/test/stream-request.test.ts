import { describe, expect, it } from "vitest";
import { parseStreamRequest, upgradeRequestHead } from "../src/index.js";

describe("parseStreamRequest", () => {
  const q = (s: string) => new URLSearchParams(s);

  it("reads the path and upstream's query names, with or without the pod uid", () => {
    expect(
      parseStreamRequest(
        "exec",
        ["default", "web", "main"],
        q("command=sh&command=-c&command=echo hi&input=1&output=1&error=1"),
      ),
    ).toEqual({
      ok: true,
      request: {
        namespace: "default",
        pod: "web",
        container: "main",
        command: ["sh", "-c", "echo hi"],
        stdin: true,
        stdout: true,
        stderr: true,
        tty: false,
      },
    });
    expect(
      parseStreamRequest("attach", ["ns", "web", "uid-1", "main"], q("stdout=true&tty=1&error=1")),
    ).toMatchObject({
      request: { namespace: "ns", container: "main", stdout: true, stderr: false, tty: true },
    });
  });

  it("refuses a request with no stream, an exec with no command, or a bad path", () => {
    expect(parseStreamRequest("exec", ["d", "p", "c"], q("command=ls"))).toEqual({
      ok: false,
      message: "you must specify at least 1 of stdin, stdout, stderr",
    });
    expect(parseStreamRequest("exec", ["d", "p", "c"], q("output=1")).ok).toBe(false);
    expect(parseStreamRequest("attach", ["d", "p", "c"], q("output=1")).ok).toBe(true);
    expect(parseStreamRequest("exec", ["d", "p"], q("output=1&command=ls")).ok).toBe(false);
  });
});

describe("upgradeRequestHead", () => {
  it("keeps the upgrade headers, points Host at the target and drops credentials", () => {
    const head = upgradeRequestHead("POST", new URL("http://127.0.0.1:4000/exec/tok?x=1"), [
      "Host",
      "kubelet:10250",
      "Authorization",
      "Bearer secret",
      "Connection",
      "Upgrade",
      "Upgrade",
      "SPDY/3.1",
      "X-Stream-Protocol-Version",
      "v4.channel.k8s.io",
      "X-Stream-Protocol-Version",
      "channel.k8s.io",
    ]);
    expect(head).toBe(
      "POST /exec/tok?x=1 HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nConnection: Upgrade\r\n" +
        "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n" +
        "X-Stream-Protocol-Version: channel.k8s.io\r\n\r\n",
    );
  });
});
