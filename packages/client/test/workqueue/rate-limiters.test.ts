import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
} from "../../src/workqueue/rate-limiters.js";
import { RateLimitingQueue } from "../../src/workqueue/rate-limiting-queue.js";

describe("ItemExponentialFailureRateLimiter", () => {
  it("doubles per failure from 5 ms, per item, and resets on forget", () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    expect([1, 2, 3, 4].map(() => limiter.when("a"))).toEqual([5, 10, 20, 40]);
    expect(limiter.when("b")).toBe(5);
    expect(limiter.numRequeues("a")).toBe(4);
    limiter.forget("a");
    expect(limiter.numRequeues("a")).toBe(0);
    expect(limiter.when("a")).toBe(5);
  });

  it("caps at 1000 s even after very many failures", () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    let last = 0;
    for (let i = 0; i < 2000; i++) {
      last = limiter.when("a");
    }
    expect(last).toBe(1_000_000);
  });
});

describe("ItemFastSlowRateLimiter", () => {
  it("uses the fast delay for the first attempts, then the slow one, per item", () => {
    const limiter = new ItemFastSlowRateLimiter<string>(10, 1000, 2);
    expect([1, 2, 3, 4].map(() => limiter.when("a"))).toEqual([10, 10, 1000, 1000]);
    expect(limiter.when("b")).toBe(10);
    expect(limiter.numRequeues("a")).toBe(4);
    limiter.forget("a");
    expect(limiter.when("a")).toBe(10);
  });
});

describe("BucketRateLimiter", () => {
  it("allows a burst, then spaces retries at 1/qps, refilling with time", () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(clock, 10, 3);
    expect([1, 2, 3].map(() => limiter.when("x"))).toEqual([0, 0, 0]);
    expect(limiter.when("x")).toBe(100);
    expect(limiter.when("x")).toBe(200);
    clock.step(1000);
    // 1 s refilled 10 tokens, capped at the burst of 3, minus the 2 owed.
    expect(limiter.when("x")).toBe(0);
    expect(limiter.numRequeues("x")).toBe(0);
  });
});

describe("MaxOfRateLimiter and the default", () => {
  it("takes the longest delay and the most requeues", () => {
    const clock = new FakeClock();
    const limiter = new MaxOfRateLimiter<string>(
      new ItemExponentialFailureRateLimiter<string>(5, 1000),
      new BucketRateLimiter<string>(clock, 1, 1),
    );
    expect(limiter.when("a")).toBe(5);
    expect(limiter.when("a")).toBe(1000);
    expect(limiter.numRequeues("a")).toBe(2);
    limiter.forget("a");
    expect(limiter.numRequeues("a")).toBe(0);
  });

  it("defaults to 5 ms per-item backoff within a 100-item burst", () => {
    const limiter = defaultControllerRateLimiter<string>(new FakeClock());
    expect(limiter.when("a")).toBe(5);
    expect(limiter.when("a")).toBe(10);
  });
});

describe("RateLimitingQueue", () => {
  it("re-adds a failing item after its backoff, and forget resets it", () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited("a");
    expect(q.len()).toBe(0);
    clock.step(5);
    expect(q.len()).toBe(1);
    expect(q.numRequeues("a")).toBe(1);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
  });
});
