import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Entry, EntryType, ErrCompacted, MemoryStorage } from "../src/index.js";
import { RaftLog } from "../src/raft/log.js";

function entry(index: number, term: number, data = ""): Entry {
  return { index, term, type: EntryType.Normal, data: new TextEncoder().encode(data) };
}

/** A log of ascending terms: term[i] for index i+1. */
const terms = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 }).map((ts) => {
  let t = 1;
  return ts.map((d) => {
    t += d - 1;
    return Math.max(1, t);
  });
});

function logFrom(ts: number[], stableCount: number): RaftLog {
  const storage = new MemoryStorage();
  storage.append(ts.slice(0, stableCount).map((t, i) => entry(i + 1, t)));
  const log = new RaftLog(storage);
  log.append(ts.slice(stableCount).map((t, i) => entry(stableCount + i + 1, t)));
  return log;
}

describe("RaftLog", () => {
  it("maybeAppend leaves exactly the matching prefix plus the new entries", () => {
    fc.assert(
      fc.property(
        terms,
        fc.nat(),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 6 }),
        (ts, stableSeed, prevSeed, bumps) => {
          const log = logFrom(ts, stableSeed % (ts.length + 1));
          const prevIndex = prevSeed % (ts.length + 1);
          const prevTerm = prevIndex === 0 ? 0 : (ts[prevIndex - 1] ?? 0);
          let t = Math.max(prevTerm, 1);
          const incoming = bumps.map((b, i) => {
            t += b;
            return entry(prevIndex + 1 + i, t);
          });
          const last = log.maybeAppend(prevIndex, prevTerm, 0, incoming);
          expect(last).toBe(prevIndex + incoming.length);
          // Entries before prevIndex are untouched.
          for (let i = 1; i <= prevIndex; i++) expect(log.term(i)).toBe(ts[i - 1]);
          // The incoming entries are in place.
          for (const e of incoming) expect(log.term(e.index)).toBe(e.term);
          // Anything after them survives only if nothing conflicted.
          const conflicted = incoming.some((e) => ts[e.index - 1] !== e.term);
          const wantLast = conflicted
            ? prevIndex + incoming.length
            : Math.max(ts.length, prevIndex + incoming.length);
          expect(log.lastIndex()).toBe(wantLast);
        },
      ),
    );
  });

  it("rejects an append whose previous entry does not match", () => {
    const log = logFrom([1, 1, 2], 3);
    expect(log.maybeAppend(3, 1, 0, [entry(4, 3)])).toBeUndefined();
    expect(log.maybeAppend(5, 2, 0, [entry(6, 3)])).toBeUndefined();
    expect(log.lastIndex()).toBe(3);
  });

  it("commits only entries of the given term, and never backwards", () => {
    const log = logFrom([1, 1, 2, 2], 4);
    expect(log.maybeCommit(2, 2)).toBe(false);
    expect(log.maybeCommit(3, 2)).toBe(true);
    expect(log.committed).toBe(3);
    log.commitTo(1);
    expect(log.committed).toBe(3);
    expect(() => log.commitTo(9)).toThrow(/out of range/);
  });

  it("refuses to truncate committed entries", () => {
    const log = logFrom([1, 1, 1], 3);
    log.commitTo(3);
    expect(() => log.maybeAppend(1, 1, 3, [entry(2, 2)])).toThrow(/committed/);
  });

  it("finds the conflict hint by term", () => {
    const log = logFrom([1, 1, 2, 2, 4, 4], 6);
    expect(log.findConflictByTerm(6, 3)).toBe(4);
    expect(log.findConflictByTerm(6, 4)).toBe(6);
    expect(log.findConflictByTerm(4, 1)).toBe(2);
    expect(log.findConflictByTerm(9, 1)).toBe(9);
  });

  it("slices across storage and the unstable tail, honouring the size limit", () => {
    const storage = new MemoryStorage();
    storage.append([entry(1, 1, "aa"), entry(2, 1, "bb")]);
    const log = new RaftLog(storage);
    log.append([entry(3, 1, "cc"), entry(4, 1, "dd")]);
    expect(log.slice(1, 5, Number.MAX_SAFE_INTEGER).map((e) => e.index)).toEqual([1, 2, 3, 4]);
    // 18 bytes per entry (2 data + 16 overhead): 40 bytes fit two.
    expect(log.slice(1, 5, 40).map((e) => e.index)).toEqual([1, 2]);
    expect(log.slice(2, 5, 40).map((e) => e.index)).toEqual([2, 3]);
    expect(log.slice(3, 5, 1).map((e) => e.index)).toEqual([3]);
    storage.compact(2);
    expect(() => log.slice(1, 3, 100)).toThrow(ErrCompacted);
  });
});
