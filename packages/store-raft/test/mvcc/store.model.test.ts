import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactedError, keyRange, MvccStore } from "../../src/mvcc/index.js";

/**
 * Model-based test: random sequences of transactions, reads, compactions
 * and watch replays run against MvccStore and against a deliberately naive
 * reference that keeps every write in a list and answers every question by
 * scanning it. They must always agree.
 */

interface ModelWrite {
  readonly main: number;
  readonly sub: number;
  readonly key: string;
  /** null for a deletion. */
  readonly value: string | null;
}

class ReferenceStore {
  writes: ModelWrite[] = [];
  revision = 1;
  compacted = 0;

  /** The live state of `key` at `revision`, computed from scratch. */
  stateAt(key: string, revision: number) {
    let live:
      | { value: string; createRevision: number; modRevision: number; version: number }
      | undefined;
    for (const w of this.writes) {
      if (w.key !== key || w.main > revision) continue;
      if (w.value === null) live = undefined;
      else
        live = {
          value: w.value,
          createRevision: live?.createRevision ?? w.main,
          modRevision: w.main,
          version: (live?.version ?? 0) + 1,
        };
    }
    return live;
  }

  keysAt(revision: number, start: string, end: string | null | undefined): string[] {
    const keys = [...new Set(this.writes.map((w) => w.key))].sort();
    return keys.filter(
      (k) =>
        (end === undefined ? k === start : k >= start && (end === null || k < end)) &&
        this.stateAt(k, revision) !== undefined,
    );
  }
}

const KEYS = ["a", "ab", "b", "ba", "c", "d\u00ff"];
const keyArb = fc.constantFrom(...KEYS);
const enc = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const dec = (b: Uint8Array) => Buffer.from(b).toString("latin1");

type Op =
  | { kind: "txn"; writes: Array<{ key: string; value: string | null; end?: string }> }
  | { kind: "range"; key: string; end: string | undefined; back: number; limit: number }
  | { kind: "compact"; back: number }
  | { kind: "watch"; key: string; end: string | undefined; back: number };

const endArb = fc.option(fc.constantFrom(...KEYS, "\u0000"), { nil: undefined });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("txn" as const),
      writes: fc.array(
        fc.record({
          key: keyArb,
          value: fc.option(fc.string({ maxLength: 3 }), { nil: null }),
          end: endArb,
        }),
        { maxLength: 3 },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("range" as const),
      key: keyArb,
      end: endArb,
      back: fc.nat(6),
      limit: fc.nat(3),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("compact" as const), back: fc.nat(4) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("watch" as const),
      key: keyArb,
      end: endArb,
      back: fc.nat(6),
    }),
  },
);

function modelEnd(end: string | undefined): string | null | undefined {
  if (end === undefined) return undefined;
  return end === "\u0000" ? null : end;
}

function run(ops: Op[]) {
  const store = new MvccStore();
  const model = new ReferenceStore();
  for (const op of ops) {
    switch (op.kind) {
      case "txn": {
        const txn = store.write();
        const main = model.revision + 1;
        let sub = 0;
        for (const w of op.writes) {
          if (w.value !== null) {
            txn.put(enc(w.key), enc(w.value), 0n);
            model.writes.push({ main, sub: sub++, key: w.key, value: w.value });
          } else {
            const view = sub > 0 ? main : model.revision;
            const doomed = model.keysAt(view, w.key, modelEnd(w.end));
            const deleted = txn.deleteRange(
              enc(w.key),
              w.end === undefined ? undefined : enc(w.end),
            );
            expect(deleted.map((kv) => dec(kv.key))).toEqual(doomed);
            for (const key of doomed) model.writes.push({ main, sub: sub++, key, value: null });
          }
        }
        txn.end();
        if (sub > 0) model.revision = main;
        expect(store.currentRevision).toBe(model.revision);
        break;
      }
      case "range": {
        const revision = Math.max(1, model.revision - op.back);
        const endBytes = op.end === undefined ? undefined : enc(op.end);
        if (revision < model.compacted) {
          expect(() => store.range(enc(op.key), endBytes, { revision })).toThrow(CompactedError);
          break;
        }
        const result = store.range(enc(op.key), endBytes, { revision, limit: op.limit });
        const keys = model.keysAt(revision, op.key, modelEnd(op.end));
        expect(result.count).toBe(keys.length);
        const expected = op.limit > 0 ? keys.slice(0, op.limit) : keys;
        expect(result.more).toBe(op.limit > 0 && keys.length > op.limit);
        expect(
          result.kvs.map((kv) => [
            dec(kv.key),
            dec(kv.value),
            kv.createRevision,
            kv.modRevision,
            kv.version,
          ]),
        ).toEqual(
          expected.map((k) => {
            const s = model.stateAt(k, revision);
            return [k, s?.value, s?.createRevision, s?.modRevision, s?.version];
          }),
        );
        break;
      }
      case "compact": {
        const revision = model.revision - op.back;
        if (revision <= model.compacted || revision < 1) break;
        store.compact(revision);
        model.compacted = revision;
        break;
      }
      case "watch": {
        const start = Math.max(1, model.revision - op.back);
        const range = keyRange(enc(op.key), op.end === undefined ? undefined : enc(op.end));
        if (start < model.compacted) {
          expect(() => [...store.eventsSince(start, range)]).toThrow(CompactedError);
          break;
        }
        const end = modelEnd(op.end);
        const expected = model.writes
          .filter(
            (w) =>
              w.main >= start &&
              (end === undefined
                ? w.key === op.key
                : w.key >= op.key && (end === null || w.key < end)),
          )
          .map((w) => {
            const prev = model.stateAt(w.key, w.sub === 0 ? w.main - 1 : w.main - 1);
            return [w.value === null ? "delete" : "put", w.key, w.main, w.value ?? "", prev?.value];
          });
        const actual = [...store.eventsSince(start, range)].map((e) => [
          e.type,
          dec(e.kv.key),
          e.kv.modRevision,
          dec(e.kv.value),
          e.prevKv === undefined ? undefined : dec(e.prevKv.value),
        ]);
        // Previous values inside one multi-write transaction are the
        // transaction's own earlier writes; compare those only across
        // transactions, where the reference can compute them simply.
        expect(actual.map((a) => a.slice(0, 4))).toEqual(expected.map((e) => e.slice(0, 4)));
        const singleWriteRevisions = new Set(
          model.writes
            .filter((w, _, all) => all.filter((x) => x.main === w.main).length === 1)
            .map((w) => w.main),
        );
        actual.forEach((a, i) => {
          if (singleWriteRevisions.has(a[2] as number)) expect(a[4]).toEqual(expected[i]?.[4]);
        });
        break;
      }
    }
  }
  // Snapshots preserve everything a reader can observe.
  const copy = MvccStore.fromState(store.exportState());
  const all = (s: MvccStore) => s.range(new Uint8Array([0]), new Uint8Array([0]));
  expect(all(copy)).toEqual(all(store));
}

describe("MvccStore against a reference model", () => {
  it("agrees on every read, delete, compaction and replay", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 4, maxLength: 50 }), (ops) => run(ops)),
      { numRuns: Number(process.env.MVCC_RUNS ?? 400) },
    );
  });
});
