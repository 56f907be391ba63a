import { describe, expect, it } from "vitest";
import {
  type Clock,
  deletionHandlingKeyFunc,
  FakeClock,
  type KubeObject,
  metaNamespaceKeyFunc,
  RateLimitingQueue,
  SharedInformer,
  waitForCacheSync,
} from "../src/index.js";
import { list, pod, ScriptedListerWatcher } from "./support/scripted-lister-watcher.js";

/** The README's example controller, kept here so it is compiled and run. */
async function runController<T extends KubeObject>(options: {
  informer: SharedInformer<T>;
  clock: Clock;
  reconcile: (key: string) => Promise<void>;
  workers: number;
  signal: AbortSignal;
}): Promise<void> {
  const { informer, reconcile, signal } = options;
  const queue = new RateLimitingQueue<string>({ clock: options.clock });
  // Handlers only enqueue keys; all work happens in reconcile.
  informer.addEventHandler({
    onAdd: (obj) => queue.add(metaNamespaceKeyFunc(obj)),
    onUpdate: (_old, obj) => queue.add(metaNamespaceKeyFunc(obj)),
    onDelete: (obj) => queue.add(deletionHandlingKeyFunc(obj)),
  });
  const informerStopped = informer.run(signal);
  signal.addEventListener("abort", () => queue.shutDown(), { once: true });
  if (!(await waitForCacheSync(signal, informer))) {
    await informerStopped;
    return;
  }
  const worker = async (): Promise<void> => {
    // Ends when the queue shuts down and is empty.
    for (;;) {
      const { item: key, shutdown } = await queue.get();
      if (shutdown) return;
      try {
        await reconcile(key);
        queue.forget(key);
      } catch {
        if (queue.numRequeues(key) < 5) queue.addRateLimited(key);
        else queue.forget(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  await informerStopped;
}

describe("the README's example controller", () => {
  it("reconciles every key, retries failures with backoff, and stops cleanly", async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher<KubeObject>(
      [list("10", [pod("a", "1"), pod("b", "2")])],
      [{ events: [{ type: "MODIFIED", object: pod("b", "11") }], end: "hang" }],
    );
    const informer = new SharedInformer<KubeObject>({ listerWatcher: lw, clock, random: () => 0 });
    const calls: string[] = [];
    let failuresLeft = 2;
    const stop = new AbortController();
    const done = runController({
      informer,
      clock,
      workers: 2,
      signal: stop.signal,
      reconcile: async (key) => {
        calls.push(`${key}@${clock.now() - Date.UTC(2024, 0, 1)}`);
        if (key === "default/a" && failuresLeft-- > 0) {
          throw new Error("not yet");
        }
      },
    });
    await clock.advance(0);
    expect(calls.filter((c) => c.startsWith("default/a"))).toEqual(["default/a@0"]);
    // The first retry waits 5 ms, the second 10 ms more.
    await clock.advance(5);
    await clock.advance(10);
    expect(calls.filter((c) => c.startsWith("default/a"))).toEqual([
      "default/a@0",
      "default/a@5",
      "default/a@15",
    ]);
    expect(calls.filter((c) => c.startsWith("default/b")).length).toBeGreaterThanOrEqual(1);
    stop.abort();
    await done;
  });
});
