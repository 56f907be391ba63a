import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { DelayingQueue } from "../../src/workqueue/delaying-queue.js";

describe("DelayingQueue", () => {
  it("adds an item only once its delay has passed on the injected clock", () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter("a", 100);
    expect(q.len()).toBe(0);
    clock.step(99);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
  });

  it("adds at once for a zero or negative delay", () => {
    const q = new DelayingQueue<string>(new FakeClock());
    q.addAfter("a", 0);
    q.addAfter("b", -5);
    expect(q.len()).toBe(2);
  });

  it("keeps the earlier ready time when an item is delayed twice", () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter("a", 500);
    q.addAfter("a", 100);
    q.addAfter("a", 800);
    clock.step(100);
    expect(q.len()).toBe(1);
    clock.step(1000);
    expect(q.len()).toBe(1);
    expect(q.waitingLen()).toBe(0);
  });

  it("releases items in ready-time order", async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter("late", 300);
    q.addAfter("early", 100);
    q.addAfter("middle", 200);
    clock.step(300);
    const order = [];
    for (let i = 0; i < 3; i++) {
      order.push((await q.get()).item);
    }
    expect(order).toEqual(["early", "middle", "late"]);
  });

  it("drops delayed items and stops its timer on shutdown", () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter("a", 100);
    q.shutDown();
    expect(clock.pendingTimers).toBe(0);
    clock.step(200);
    expect(q.len()).toBe(0);
    q.addAfter("b", 10);
    expect(q.waitingLen()).toBe(0);
  });
});
