import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../src/workqueue/queue.js";

describe("WorkQueue", () => {
  it("hands items out in order and collapses duplicates queued before processing", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toEqual({ item: "a", shutdown: false });
    expect(await q.get()).toEqual({ item: "b", shutdown: false });
    expect(q.len()).toBe(0);
  });

  it("re-queues an item added while it is processed only after done()", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    const first = await q.get();
    q.add("a");
    q.add("a");
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((r) => {
      second = r.item;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(first.item as string);
    await Promise.resolve();
    expect(second).toBe("a");
  });

  it("wakes a waiting worker when an item arrives", async () => {
    const q = new WorkQueue<string>();
    const pending = q.get();
    q.add("x");
    expect(await pending).toEqual({ item: "x", shutdown: false });
  });

  it("after shutDown drops adds, still hands out queued items, then reports shutdown", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    q.shutDown();
    q.add("b");
    expect(q.shuttingDown()).toBe(true);
    expect(await q.get()).toEqual({ item: "a", shutdown: false });
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
  });

  it("wakes every waiting worker on shutDown", async () => {
    const q = new WorkQueue<string>();
    const waiters = [q.get(), q.get(), q.get()];
    q.shutDown();
    for (const result of await Promise.all(waiters)) {
      expect(result.shutdown).toBe(true);
    }
  });

  it("shutDownWithDrain waits until items being processed are done", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    const { item } = await q.get();
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done(item as string);
    await drain;
    expect(drained).toBe(true);
  });

  it("shutDownWithDrain resolves at once when nothing is processing", async () => {
    const q = new WorkQueue<string>();
    await q.shutDownWithDrain();
    expect(q.shuttingDown()).toBe(true);
  });

  it("ignores done() for an item it never handed out", async () => {
    const q = new WorkQueue<string>();
    q.done("ghost");
    q.add("a");
    expect(q.len()).toBe(1);
  });
});
