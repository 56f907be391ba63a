import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Inflights } from "../src/index.js";

type Op = { kind: "add"; bytes: number } | { kind: "free"; back: number } | { kind: "freeFirst" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), bytes: fc.nat({ max: 100 }) }),
  fc.record({ kind: fc.constant("free" as const), back: fc.nat({ max: 10 }) }),
  fc.record({ kind: fc.constant("freeFirst" as const) }),
);

describe("Inflights", () => {
  it("matches a simple model under any sequence of operations", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.nat({ max: 300 }),
        fc.array(op, { maxLength: 60 }),
        (maxCount, maxBytes, ops) => {
          const inf = new Inflights(maxCount, maxBytes);
          const model: { index: number; bytes: number }[] = [];
          let next = 1;
          for (const o of ops) {
            if (o.kind === "add") {
              if (inf.full()) {
                expect(() => inf.add(next, o.bytes)).toThrow();
                continue;
              }
              inf.add(next, o.bytes);
              model.push({ index: next, bytes: o.bytes });
              next++;
            } else if (o.kind === "free") {
              const to = next - 1 - o.back;
              inf.freeLE(to);
              while (model.length > 0 && (model[0]?.index ?? 0) <= to) model.shift();
            } else {
              inf.freeFirstOne();
              model.shift();
            }
            const bytes = model.reduce((s, m) => s + m.bytes, 0);
            expect(inf.count()).toBe(model.length);
            expect(inf.inflightBytes()).toBe(bytes);
            expect(inf.full()).toBe(
              model.length >= maxCount || (maxBytes > 0 && bytes >= maxBytes),
            );
          }
        },
      ),
    );
  });

  it("refuses indexes that do not increase and a zero-sized window", () => {
    const inf = new Inflights(3);
    inf.add(5);
    expect(() => inf.add(5)).toThrow(/not after/);
    expect(() => new Inflights(0)).toThrow();
  });
});
