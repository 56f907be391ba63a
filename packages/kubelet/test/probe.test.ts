import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { freePort } from "@kubekit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProbeExecutor,
  httpGetProbe,
  initialResult,
  ProbeState,
  probeSettings,
  tcpSocketProbe,
} from "../src/index.js";

describe("probe settings and state", () => {
  it("applies the API's defaults", () => {
    expect(probeSettings({})).toEqual({
      initialDelayMs: 0,
      periodMs: 10_000,
      timeoutMs: 1_000,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it.each([
    ["liveness", "success"],
    ["readiness", "failure"],
    ["startup", "unknown"],
  ] as const)("%s starts as %s", (kind, result) => {
    expect(initialResult(kind)).toBe(result);
    expect(new ProbeState(kind, probeSettings({})).result).toBe(result);
  });

  it("waits out the initial delay, then runs once a period", () => {
    const state = new ProbeState(
      "readiness",
      probeSettings({ initialDelaySeconds: 5, periodSeconds: 2 }),
    );
    const started = 1_000;
    expect(state.due(started + 4_999, started)).toBe(false);
    expect(state.due(started + 5_000, started)).toBe(true);
    state.observe("failure", started + 5_000);
    expect(state.due(started + 6_999, started)).toBe(false);
    expect(state.due(started + 7_000, started)).toBe(true);
  });

  it("flips only after the thresholds of consecutive results", () => {
    const state = new ProbeState(
      "readiness",
      probeSettings({ successThreshold: 2, failureThreshold: 3 }),
    );
    const outcomes = [
      "success",
      "failure",
      "success",
      "success",
      "failure",
      "failure",
      "success",
      "failure",
      "failure",
      "failure",
    ] as const;
    const seen = outcomes.map((outcome, i) => {
      state.observe(outcome, i * 10_000);
      return state.result;
    });
    expect(seen).toEqual([
      "failure", // one success is not two
      "failure",
      "failure",
      "success", // two in a row
      "success",
      "success", // two failures are not three
      "success",
      "success",
      "success",
      "failure", // three in a row
    ]);
  });

  it("reports whether the verdict changed", () => {
    const state = new ProbeState("liveness", probeSettings({ failureThreshold: 1 }));
    expect(state.observe("success", 0)).toBe(false);
    expect(state.observe("failure", 1)).toBe(true);
    expect(state.observe("failure", 2)).toBe(false);
  });
});

describe("probe executors on loopback", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      const codes: Record<string, number> = {
        "/ok": 200,
        "/redirect": 302,
        "/missing": 404,
        "/boom": 500,
      };
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2_000);
      if (req.url === "/agent") {
        res.statusCode =
          req.headers["user-agent"]?.startsWith("kube-probe/") && req.headers["x-check"] === "1"
            ? 200
            : 400;
        return void res.end();
      }
      res.statusCode = codes[req.url ?? ""] ?? 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ["/ok", "success"],
    ["/redirect", "success"],
    ["/missing", "failure"],
    ["/boom", "failure"],
    ["/slow", "failure"],
  ] as const)("httpGet %s → %s", async (path, outcome) => {
    expect(await httpGetProbe("127.0.0.1", port, path, {}, 500)).toBe(outcome);
  });

  it("sends the prober's user agent and the probe's headers, and resolves named ports", async () => {
    const execute = createProbeExecutor({} as never);
    const target = {
      containerId: "c",
      podIP: "127.0.0.1",
      container: { name: "c", image: "i", ports: [{ name: "web", containerPort: port }] },
    };
    const handler = {
      httpGet: { path: "/agent", port: "web", httpHeaders: [{ name: "X-Check", value: "1" }] },
    };
    expect(await execute(handler, target, 1_000)).toBe("success");
    expect(await execute({ httpGet: { path: "/ok", port: "nope" } }, target, 1_000)).toBe(
      "failure",
    );
  });

  it("tcpSocket succeeds when something listens and fails when nothing does", async () => {
    const tcpPort = await freePort();
    const tcp = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(tcpPort, "127.0.0.1", resolve));
    try {
      expect(await tcpSocketProbe("127.0.0.1", tcpPort, 1_000)).toBe("success");
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
    expect(await tcpSocketProbe("127.0.0.1", tcpPort, 1_000)).toBe("failure");
  });
});
