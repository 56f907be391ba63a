import { describe, expect, it } from "vitest";
import { FakeClock } from "../src/clock/fake-clock.js";
import { runWorkers } from "../src/controller/run-workers.js";
import { RateLimitingQueue } from "../src/workqueue/rate-limiting-queue.js";

describe("runWorkers", () => {
  it("reconciles keys, retries failures with backoff up to maxRetries, and stops on shutdown", async () => {
    const clock = new FakeClock(0);
    const queue = new RateLimitingQueue<string>({ clock });
    const calls: string[] = [];
    const errors: Array<[string, boolean]> = [];
    let active = 0;
    let maxActive = 0;
    const done = runWorkers(
      queue,
      async (key) => {
        active++;
        maxActive = Math.max(maxActive, active);
        calls.push(`${key}@${clock.now()}`);
        await Promise.resolve();
        active--;
        if (key === "bad") throw new Error("nope");
      },
      {
        workers: 2,
        maxRetries: 2,
        onError: (_err, key, willRetry) => errors.push([key, willRetry]),
      },
    );
    queue.add("good");
    queue.add("bad");
    await clock.advance(0);
    await clock.advance(5);
    await clock.advance(10);
    await clock.advance(100);
    expect(calls).toEqual(["good@0", "bad@0", "bad@5", "bad@15"]);
    expect(errors).toEqual([
      ["bad", true],
      ["bad", true],
      ["bad", false],
    ]);
    expect(queue.numRequeues("bad")).toBe(0);
    expect(maxActive).toBe(2);
    queue.shutDown();
    await done;
  });
});
