import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock/fake-clock.js";
import { DelayingQueue } from "../../src/workqueue/delaying-queue.js";

type Op = { kind: "addAfter"; key: string; delay: number } | { kind: "step"; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("addAfter" as const),
    key: fc.constantFrom("a", "b", "c"),
    delay: fc.integer({ min: -5, max: 100 }),
  }),
  fc.record({ kind: fc.constant("step" as const), ms: fc.integer({ min: 0, max: 60 }) }),
);

describe("DelayingQueue properties", () => {
  it("makes each key ready exactly at the earliest deadline asked for, never before", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const clock = new FakeClock(0);
        const q = new DelayingQueue<string>(clock);
        // Model: key → earliest pending deadline; keys already made ready.
        const deadlines = new Map<string, number>();
        const ready = new Set<string>();
        const check = (): void => {
          // Keys whose deadline passed must be queued; others must not be (unless ready before).
          for (const [key, due] of [...deadlines]) {
            if (due <= clock.now()) {
              deadlines.delete(key);
              ready.add(key);
            }
          }
          expect(q.len()).toBe(ready.size);
          expect(q.waitingLen()).toBe(deadlines.size);
        };
        for (const op of ops) {
          if (op.kind === "addAfter") {
            q.addAfter(op.key, op.delay);
            const due = clock.now() + op.delay;
            if (op.delay <= 0) {
              ready.add(op.key);
            } else if (due < (deadlines.get(op.key) ?? Number.POSITIVE_INFINITY)) {
              deadlines.set(op.key, due);
            }
          } else {
            clock.step(op.ms);
          }
          check();
        }
      }),
      { numRuns: 300 },
    );
  });
});
