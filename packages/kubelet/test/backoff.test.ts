import { describe, expect, it } from "vitest";
import { Backoff, CONTAINER_BACKOFF, FakeClock, type Pod, shouldRestart } from "../src/index.js";

describe("crash-loop backoff (upstream's 10 s doubling to 5 min, reset after 10 min)", () => {
  it("lets the first restart through, then doubles the hold up to the cap", () => {
    const clock = new FakeClock(1_000_000);
    const backoff = new Backoff({ ...CONTAINER_BACKOFF, clock });
    const key = "pod/app";
    const delays: number[] = [];
    for (let failure = 0; failure < 8; failure++) {
      const exitedAt = clock.now();
      // Until the delay in force has passed since the exit, the container is held.
      if (failure > 0) {
        expect(backoff.inBackoffSince(key, exitedAt)).toBe(true);
        clock.advance(backoff.delay(key) - 1);
        expect(backoff.inBackoffSince(key, exitedAt)).toBe(true);
        clock.advance(1);
      }
      expect(backoff.inBackoffSince(key, exitedAt)).toBe(false);
      delays.push(backoff.next(key, exitedAt));
      clock.advance(1_000); // runs a second, then crashes again
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it("starts over after running quietly for twice the cap", () => {
    const clock = new FakeClock(0);
    const backoff = new Backoff({ ...CONTAINER_BACKOFF, clock });
    backoff.next("k", 0);
    backoff.next("k", 0);
    expect(backoff.delay("k")).toBe(20_000);
    clock.advance(600_001);
    expect(backoff.inBackoffSince("k", clock.now())).toBe(false);
    expect(backoff.next("k", clock.now())).toBe(10_000);
  });

  it("keeps keys apart and forgets them on reset and gc", () => {
    const clock = new FakeClock(0);
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, clock });
    backoff.next("a");
    expect(backoff.inBackoffSince("a", 0)).toBe(true);
    expect(backoff.inBackoffSince("b", 0)).toBe(false);
    backoff.reset("a");
    expect(backoff.inBackoffSince("a", 0)).toBe(false);
    backoff.next("c");
    clock.advance(2_001);
    backoff.gc();
    expect(backoff.delay("c")).toBe(0);
  });
});

describe("restart policy", () => {
  const pod = (restartPolicy?: "Always" | "OnFailure" | "Never"): Pod => ({
    metadata: { name: "p", uid: "u" },
    spec: { containers: [], ...(restartPolicy ? { restartPolicy } : {}) },
  });
  it.each([
    [undefined, 0, false, true],
    ["Always", 0, false, true],
    ["Always", 1, false, true],
    ["OnFailure", 0, false, false],
    ["OnFailure", 1, false, true],
    ["Never", 1, false, false],
    ["Always", 0, true, false],
    ["Always", 1, true, true],
    ["OnFailure", 1, true, true],
    ["Never", 1, true, false],
  ] as const)("policy %s, exit %s, init %s → restart %s", (policy, exitCode, init, restart) => {
    expect(shouldRestart(pod(policy), exitCode, init)).toBe(restart);
  });
});
