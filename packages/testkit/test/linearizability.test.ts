import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type KvInput, type KvOp, type KvOutput, kvModel } from "../src/kv-model.js";
import { checkLinearizability } from "../src/linearizability.js";

const put = (client: number, call: number, ret: number, key: string, value: string): KvOp => ({
  client,
  input: { kind: "put", key, value },
  call,
  return: ret,
  output: { kind: "put" },
});
const get = (
  client: number,
  call: number,
  ret: number,
  key: string,
  value: string | undefined,
): KvOp => ({
  client,
  input: { kind: "get", key },
  call,
  return: ret,
  output: { kind: "get", value },
});
const unknownPut = (client: number, call: number, key: string, value: string): KvOp => ({
  client,
  input: { kind: "put", key, value },
  call,
  return: Number.POSITIVE_INFINITY,
  output: undefined,
});
const cas = (
  client: number,
  call: number,
  ret: number,
  key: string,
  expected: string | undefined,
  value: string,
  ok: boolean,
): KvOp => ({
  client,
  input: { kind: "cas", key, expected, value },
  call,
  return: ret,
  output: { kind: "cas", ok },
});

const check = (history: KvOp[]) => checkLinearizability(kvModel, history);

describe("checkLinearizability with the key-value model", () => {
  it("accepts sequential and overlapping histories that have a linearization", () => {
    expect(check([]).verdict).toBe("ok");
    expect(
      check([get(0, 0, 1, "k", undefined), put(0, 2, 3, "k", "a"), get(1, 4, 5, "k", "a")]).verdict,
    ).toBe("ok");
    // A read overlapping a write may see either value...
    expect(check([put(0, 0, 10, "k", "a"), get(1, 2, 3, "k", "a")]).verdict).toBe("ok");
    expect(check([put(0, 0, 10, "k", "a"), get(1, 2, 3, "k", undefined)]).verdict).toBe("ok");
    // ...and two overlapping writes may land in either order.
    expect(
      check([put(0, 0, 10, "k", "a"), put(1, 1, 9, "k", "b"), get(2, 11, 12, "k", "a")]).verdict,
    ).toBe("ok");
    expect(
      check([put(0, 0, 10, "k", "a"), put(1, 1, 9, "k", "b"), get(2, 11, 12, "k", "b")]).verdict,
    ).toBe("ok");
  });

  it("rejects a stale read and names the ops involved", () => {
    const history = [
      put(0, 0, 1, "k", "a"),
      put(0, 2, 3, "k", "b"),
      get(1, 4, 5, "k", "a"),
      get(1, 6, 7, "other", undefined),
    ];
    const result = check(history);
    expect(result.verdict).toBe("illegal");
    expect(result.violation?.ops).toHaveLength(3);
    expect(result.violation?.description).toContain('get(k) -> "a"');
    expect(result.violation?.description).toContain('put(k, "b")');
  });

  it("rejects a lost acknowledged write", () => {
    const result = check([
      put(0, 0, 1, "k", "a"),
      get(1, 2, 3, "k", "a"),
      put(2, 4, 5, "k", "b"),
      get(1, 6, 7, "k", "a"),
      get(1, 8, 9, "k", "a"),
    ]);
    expect(result.verdict).toBe("illegal");
    // Shrunk: the write that was lost, the one before it, and one read of the old value.
    expect(result.violation?.ops.map((op) => op.input.kind).sort()).toEqual(["get", "put", "put"]);
  });

  it("rejects a read of a value never written, and of a value read back after its key was overwritten", () => {
    expect(check([put(0, 0, 1, "k", "a"), get(1, 2, 3, "k", "z")]).verdict).toBe("illegal");
    expect(check([get(1, 0, 1, "k", "a"), put(0, 2, 3, "k", "a")]).verdict).toBe("illegal");
    // Two readers disagreeing on the order of two writes.
    expect(
      check([
        put(0, 0, 10, "k", "a"),
        put(1, 0, 10, "k", "b"),
        get(2, 11, 12, "k", "a"),
        get(3, 13, 14, "k", "b"),
        get(2, 15, 16, "k", "a"),
      ]).verdict,
    ).toBe("illegal");
  });

  it("lets an unknown-outcome write take effect late or never", () => {
    const base = [put(0, 0, 1, "k", "a"), unknownPut(1, 2, "k", "b")];
    expect(check([...base, get(2, 5, 6, "k", "a"), get(2, 7, 8, "k", "b")]).verdict).toBe("ok");
    expect(check([...base, get(2, 5, 6, "k", "a"), get(2, 100, 101, "k", "a")]).verdict).toBe("ok");
    // Once seen, it cannot be undone.
    expect(check([...base, get(2, 5, 6, "k", "b"), get(2, 7, 8, "k", "a")]).verdict).toBe(
      "illegal",
    );
    // It cannot take effect before it was called.
    expect(
      check([put(0, 0, 1, "k", "a"), get(2, 2, 3, "k", "b"), unknownPut(1, 4, "k", "b")]).verdict,
    ).toBe("illegal");
  });

  it("checks compare-and-set, including unknown outcomes", () => {
    expect(
      check([
        cas(0, 0, 1, "k", undefined, "a", true),
        cas(1, 2, 3, "k", undefined, "b", false),
        cas(1, 4, 5, "k", "a", "b", true),
        get(0, 6, 7, "k", "b"),
      ]).verdict,
    ).toBe("ok");
    expect(
      check([cas(0, 0, 1, "k", undefined, "a", true), cas(1, 2, 3, "k", undefined, "b", true)])
        .verdict,
    ).toBe("illegal");
    const unknownCas: KvOp = {
      client: 1,
      input: { kind: "cas", key: "k", expected: undefined, value: "a" },
      call: 0,
      return: Number.POSITIVE_INFINITY,
      output: undefined,
    };
    expect(check([unknownCas, get(0, 1, 2, "k", "a")]).verdict).toBe("ok");
    expect(check([unknownCas, get(0, 1, 2, "k", undefined)]).verdict).toBe("ok");
  });

  it('answers "unknown" instead of searching past its step budget', () => {
    // Many overlapping writes and a read nobody's value explains would take long to refute.
    const writes = Array.from({ length: 20 }, (_, i) => put(i, 0, 100, "k", `v${i}`));
    const reads = Array.from({ length: 20 }, (_, i) => get(20 + i, 1, 99, "k", `v${i}`));
    const result = checkLinearizability(kvModel, [...writes, ...reads], { stepBudget: 1000 });
    expect(result.verdict).toBe("unknown");
    expect(result.unknownPartitions).toBe(1);
  });

  it("checks a few thousand ops over a few keys quickly", () => {
    const history = runSequentially(
      Array.from({ length: 3000 }, (_, i) =>
        i % 3 === 0
          ? ({ kind: "put", key: `k${i % 5}`, value: `v${i}` } as const)
          : ({ kind: "get", key: `k${i % 5}` } as const),
      ),
      Array.from({ length: 3000 }, (_, i) => ({ client: i % 8, lead: 3, lag: 3 })),
    );
    const started = performance.now();
    const result = check(history);
    expect(result.verdict).toBe("ok");
    expect(result.partitions).toBe(5);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

interface Timing {
  client: number;
  /** How long before its effect the op was called. */
  lead: number;
  /** How long after its effect it returned. */
  lag: number;
}

/**
 * Runs ops against a plain Map one at a time (op i takes effect at time
 * 10 * i) and dresses each in a call/return interval around that instant:
 * a history that is linearizable by construction, with random overlaps.
 */
function runSequentially(inputs: readonly KvInput[], timings: readonly Timing[]): KvOp[] {
  const map = new Map<string, string>();
  return inputs.map((input, i) => {
    const timing = timings[i] as Timing;
    const at = 10 * i;
    let output: KvOutput;
    if (input.kind === "put") {
      map.set(input.key, input.value);
      output = { kind: "put" };
    } else if (input.kind === "get") {
      output = { kind: "get", value: map.get(input.key) };
    } else {
      const ok = map.get(input.key) === input.expected;
      if (ok) map.set(input.key, input.value);
      output = { kind: "cas", ok };
    }
    return {
      client: timing.client,
      input,
      call: at - timing.lead,
      return: at + timing.lag,
      output,
    };
  });
}

const keyArb = fc.constantFrom("a", "b");
const inputArb = (index: number): fc.Arbitrary<KvInput> =>
  fc.oneof(
    keyArb.map((key) => ({ kind: "put", key, value: `v${index}` }) as const),
    keyArb.map((key) => ({ kind: "get", key }) as const),
    fc
      .tuple(keyArb, fc.option(fc.constantFrom("v0", "v1", "v2", "v3"), { nil: undefined }))
      .map(([key, expected]) => ({ kind: "cas", key, expected, value: `v${index}` }) as const),
  );
const historyArb = fc.integer({ min: 1, max: 40 }).chain((length) =>
  fc.tuple(
    fc.tuple(...Array.from({ length }, (_, i) => inputArb(i))),
    fc.array(
      fc.record({
        client: fc.nat(4),
        lead: fc.integer({ min: 0, max: 25 }),
        lag: fc.integer({ min: 0, max: 25 }),
      }),
      { minLength: length, maxLength: length },
    ),
  ),
);

describe("checkLinearizability on generated histories", () => {
  it("judges every history run against a sequential map linearizable", () => {
    fc.assert(
      fc.property(historyArb, ([inputs, timings]) => {
        const history = runSequentially(inputs, timings);
        expect(check(history).verdict).toBe("ok");
      }),
      { numRuns: 300 },
    );
  });

  it("judges a history with one read's value changed illegal when no interleaving explains it", () => {
    let mutated = 0;
    fc.assert(
      fc.property(historyArb, fc.nat(), ([inputs, timings], pick) => {
        const history = runSequentially(inputs, timings);
        const reads = history.filter((op) => op.input.kind === "get");
        if (reads.length === 0) return;
        const target = reads[pick % reads.length] as KvOp;
        // A value nobody ever wrote: no interleaving can explain it.
        const changed = history.map((op) =>
          op === target ? { ...op, output: { kind: "get", value: "never-written" } as const } : op,
        );
        const result = check(changed);
        expect(result.verdict).toBe("illegal");
        expect(result.violation?.ops).toContainEqual(
          expect.objectContaining({ output: { kind: "get", value: "never-written" } }),
        );
        mutated++;
      }),
      { numRuns: 300 },
    );
    expect(mutated).toBeGreaterThan(100);
  });

  it("judges a read changed to an older value illegal exactly when the brute-force check does", () => {
    fc.assert(
      fc.property(historyArb, fc.nat(), fc.nat(), ([inputs, timings], pick, choose) => {
        const history = runSequentially(inputs.slice(0, 8), timings.slice(0, 8));
        const reads = history.filter((op) => op.input.kind === "get");
        const values = [
          undefined,
          ...history.flatMap((op) => (op.input.kind === "get" ? [] : [op.input.value])),
        ];
        if (reads.length === 0) return;
        const target = reads[pick % reads.length] as KvOp;
        const value = values[choose % values.length];
        const changed = history.map((op) =>
          op === target ? { ...op, output: { kind: "get", value } as const } : op,
        );
        expect(check(changed).verdict).toBe(bruteForce(changed) ? "ok" : "illegal");
      }),
      { numRuns: 300 },
    );
  });
});

/** Whether some order of each key's ops (a handful) respects real time and the model. */
function bruteForce(history: readonly KvOp[]): boolean {
  return (kvModel.partition?.(history) ?? [[...history]]).every(linearizableByEnumeration);
}

function linearizableByEnumeration(ops: readonly KvOp[]): boolean {
  const used = new Array<boolean>(ops.length).fill(false);
  const search = (state: string | undefined, placed: number): boolean => {
    if (placed === ops.length) return true;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i] as KvOp;
      // op can go next only if no other unplaced op returned before op was called.
      if (ops.some((other, j) => !used[j] && j !== i && other.return < op.call)) continue;
      for (const next of kvModel.step(state, op.input, op.output)) {
        used[i] = true;
        if (search(next, placed + 1)) return true;
        used[i] = false;
      }
    }
    return false;
  };
  return search(undefined, 0);
}
