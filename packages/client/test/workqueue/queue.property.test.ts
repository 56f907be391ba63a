import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../src/workqueue/queue.js";

type Op =
  | { kind: "add"; key: string }
  | { kind: "get"; worker: number }
  | { kind: "done"; worker: number };

const WORKERS = 3;
const keyArb = fc.constantFrom("a", "b", "c", "d");
const opArb: fc.Arbitrary<Op> = fc.oneof(
  keyArb.map((key) => ({ kind: "add" as const, key })),
  fc.integer({ min: 0, max: WORKERS - 1 }).map((worker) => ({ kind: "get" as const, worker })),
  fc.integer({ min: 0, max: WORKERS - 1 }).map((worker) => ({ kind: "done" as const, worker })),
);

type WorkerState = { state: "idle" } | { state: "waiting" } | { state: "holding"; key: string };

/** Lets `.then` callbacks of resolved gets run before the next operation. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
  }
}

describe("WorkQueue properties", () => {
  it("never hands one key to two workers, never twice per add, and loses no add", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const q = new WorkQueue<string>();
        const workers: WorkerState[] = Array.from({ length: WORKERS }, () => ({ state: "idle" }));
        const lastAdd = new Map<string, number>();
        const lastHandout = new Map<string, number>();
        let clock = 0;

        const startGet = (w: number): void => {
          workers[w] = { state: "waiting" };
          void q.get().then((result) => {
            clock++;
            if (result.shutdown) {
              workers[w] = { state: "idle" };
              return;
            }
            const key = result.item;
            // Never concurrent: no other worker holds this key.
            for (const other of workers) {
              expect(other.state === "holding" && other.key === key).toBe(false);
            }
            // Once per add: an add happened since this key was last handed out.
            expect(lastAdd.get(key) ?? -1).toBeGreaterThan(lastHandout.get(key) ?? -1);
            lastHandout.set(key, clock);
            workers[w] = { state: "holding", key };
          });
        };

        for (const op of ops) {
          clock++;
          const worker = op.kind === "add" ? undefined : workers[op.worker];
          if (op.kind === "add") {
            q.add(op.key);
            lastAdd.set(op.key, clock);
          } else if (op.kind === "get" && worker?.state === "idle") {
            startGet(op.worker);
          } else if (op.kind === "done" && worker?.state === "holding") {
            workers[op.worker] = { state: "idle" };
            q.done(worker.key);
          }
          await flush();
        }

        // Shut down and let the workers finish everything still queued.
        q.shutDown();
        await flush();
        const busy = (): boolean => q.len() > 0 || workers.some((w) => w.state !== "idle");
        for (let round = 0; round < 20 && busy(); round++) {
          for (let w = 0; w < WORKERS; w++) {
            const worker = workers[w];
            if (worker?.state === "holding") {
              workers[w] = { state: "idle" };
              q.done(worker.key);
            } else if (worker?.state === "idle") {
              startGet(w);
            }
          }
          await flush();
        }
        expect(busy()).toBe(false);
        expect((await q.get()).shutdown).toBe(true);
        // No lost adds: every key was handed out after its last add.
        for (const [key, added] of lastAdd) {
          expect(lastHandout.get(key) ?? -1).toBeGreaterThan(added);
        }
      }),
      { numRuns: 300 },
    );
  });
});
