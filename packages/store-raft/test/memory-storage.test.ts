import { describe, expect, it } from "vitest";
import {
  ConfChangeType,
  decodeConfChange,
  type Entry,
  EntryType,
  ErrCompacted,
  ErrSnapOutOfDate,
  ErrUnavailable,
  encodeConfChange,
  MemoryStorage,
} from "../src/index.js";

function entry(index: number, term: number): Entry {
  return { index, term, type: EntryType.Normal, data: new Uint8Array([index]) };
}

function storageWith(first: number, last: number, term = 1): MemoryStorage {
  const s = new MemoryStorage();
  if (first > 1) {
    s.applySnapshot({
      metadata: { index: first - 1, term, confState: { voters: [1], learners: [] } },
      data: new Uint8Array(0),
    });
  }
  const ents: Entry[] = [];
  for (let i = first; i <= last; i++) ents.push(entry(i, term));
  s.append(ents);
  return s;
}

describe("MemoryStorage", () => {
  it("answers term and entries inside its range and named errors outside", () => {
    const s = storageWith(4, 6);
    expect(s.firstIndex()).toBe(4);
    expect(s.lastIndex()).toBe(6);
    expect(s.term(3)).toBe(1); // the snapshot's entry
    expect(() => s.term(2)).toThrow(ErrCompacted);
    expect(() => s.term(7)).toThrow(ErrUnavailable);
    expect(s.entries(4, 7, 1000).map((e) => e.index)).toEqual([4, 5, 6]);
    expect(() => s.entries(3, 5, 1000)).toThrow(ErrCompacted);
    expect(() => s.entries(4, 8, 1000)).toThrow(/past last index/);
    expect(s.entries(4, 7, 0).map((e) => e.index)).toEqual([4]);
  });

  it("overwrites a suffix on append and skips compacted entries", () => {
    const s = storageWith(4, 6);
    s.append([entry(5, 2), entry(6, 2), entry(7, 2)]);
    expect([4, 5, 6, 7].map((i) => s.term(i))).toEqual([1, 2, 2, 2]);
    s.append([entry(2, 1), entry(3, 1), entry(4, 1)]);
    expect(s.lastIndex()).toBe(4);
    expect(() => s.append([entry(9, 3)])).toThrow(/gap/);
  });

  it("compacts, snapshots and refuses going backwards", () => {
    const s = storageWith(1, 10);
    const snap = s.createSnapshot(8, { voters: [1, 2], learners: [] }, new Uint8Array([42]));
    expect(snap.metadata).toEqual({
      index: 8,
      term: 1,
      confState: { voters: [1, 2], learners: [] },
    });
    s.compact(8);
    expect(s.firstIndex()).toBe(9);
    expect(s.term(8)).toBe(1);
    expect(() => s.compact(5)).toThrow(ErrCompacted);
    expect(() => s.createSnapshot(7, undefined, new Uint8Array())).toThrow(ErrSnapOutOfDate);
    expect(() => s.applySnapshot(snap)).toThrow(ErrSnapOutOfDate);
    expect(s.snapshot().data).toEqual(new Uint8Array([42]));
    expect(s.initialState().confState.voters).toEqual([1, 2]);
  });
});

describe("conf change codec", () => {
  it("round-trips every kind with context", () => {
    for (const type of [
      ConfChangeType.AddNode,
      ConfChangeType.RemoveNode,
      ConfChangeType.AddLearnerNode,
    ]) {
      const cc = { type, nodeId: 2 ** 40 + 3, context: new TextEncoder().encode("http://n4:2380") };
      expect(decodeConfChange(encodeConfChange(cc))).toEqual(cc);
    }
  });

  it("rejects garbage", () => {
    expect(() => decodeConfChange(new Uint8Array([1, 2]))).toThrow(/too short/);
    expect(() => decodeConfChange(new Uint8Array(10).fill(9))).toThrow(/version/);
  });
});
