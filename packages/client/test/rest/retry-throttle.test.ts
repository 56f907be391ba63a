import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { isTooManyRequests } from "../../src/errors/predicates.js";
import { HttpClient } from "../../src/rest/http-client.js";
import { RequestThrottle } from "../../src/rest/throttle.js";
import { type FakeServer, json, startFakeServer } from "../support/fake-server.js";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Waits (in real time, bounded) until `condition` holds; the network runs in real time. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(condition()).toBe(true);
}

describe("RequestThrottle", () => {
  it("lets a burst through, then spaces requests at 1/qps", () => {
    const clock = new FakeClock();
    const throttle = new RequestThrottle(clock, 5, 2);
    expect([throttle.reserve(), throttle.reserve(), throttle.reserve()]).toEqual([0, 0, 200]);
    clock.step(1000);
    expect(throttle.reserve()).toBe(0);
    expect(() => new RequestThrottle(clock, 0, 1)).toThrow(/qps/);
  });
});

describe("HttpClient retries and throttling", () => {
  it("retries a 429 with Retry-After after the server's delay on the injected clock", async () => {
    let calls = 0;
    server = await startFakeServer((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "3", "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", reason: "TooManyRequests", code: 429 }));
        return;
      }
      json(res, 200, { ok: calls });
    });
    const clock = new FakeClock();
    const http = new HttpClient({ server: server.url, tls: {}, auth: {} }, { clock });
    const start = clock.now();
    const result = http.request({ method: "GET", path: "/api" });
    // The request's 30 s timeout is replaced by the 3 s Retry-After wait.
    await until(() => calls === 1 && clock.nextDue() === start + 3000);
    clock.step(2999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1);
    clock.step(1);
    expect(await result).toEqual({ ok: 2 });
    http.close();
  });

  it("does not retry without Retry-After, and gives up after maxRetries", async () => {
    server = await startFakeServer((req, res) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (req.url === "/retry") headers["retry-after"] = "0";
      res.writeHead(429, headers);
      res.end(JSON.stringify({ kind: "Status", reason: "TooManyRequests", code: 429 }));
    });
    const http = new HttpClient({ server: server.url, tls: {}, auth: {}, maxRetries: 2 });
    const plain = await http.request({ method: "GET", path: "/plain" }).catch((e: unknown) => e);
    expect(isTooManyRequests(plain)).toBe(true);
    expect(server.seen).toHaveLength(1);
    const retried = await http.request({ method: "GET", path: "/retry" }).catch((e: unknown) => e);
    expect(isTooManyRequests(retried)).toBe(true);
    expect(server.seen.filter((r) => r.url === "/retry")).toHaveLength(3);
    http.close();
  });

  it("holds requests beyond the burst until the throttle refills", async () => {
    server = await startFakeServer((_req, res) => json(res, 200, {}));
    const clock = new FakeClock();
    const http = new HttpClient(
      { server: server.url, tls: {}, auth: {}, qps: 1, burst: 1 },
      { clock },
    );
    await http.request({ method: "GET", path: "/1" });
    const second = http.request({ method: "GET", path: "/2" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.seen).toHaveLength(1);
    clock.step(1000);
    await second;
    expect(server.seen.map((r) => r.url)).toEqual(["/1", "/2"]);
    http.close();
  });

  it("times out on the injected clock", async () => {
    server = await startFakeServer(() => {
      // Never answers.
    });
    const clock = new FakeClock();
    const http = new HttpClient(
      { server: server.url, tls: {}, auth: {}, timeoutMs: 5000 },
      { clock },
    );
    const pending = http.request({ method: "GET", path: "/slow" }).catch((e: unknown) => e);
    await until(() => server?.seen.length === 1);
    clock.step(5000);
    expect(String(await pending)).toMatch(/timed out|abort/i);
    http.close();
  });
});
