import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { makeTempDir, type TempDir } from "@kubekit/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Wal, WalCorruptError } from "../../src/durable/wal.js";
import { type Entry, EntryType } from "../../src/index.js";

const entry = (index: number, term: number, data = `e${index}`): Entry => ({
  index,
  term,
  type: EntryType.Normal,
  data: new TextEncoder().encode(data),
});
const meta = { memberId: 7n, clusterId: 9n };

describe("Wal", () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await makeTempDir("wal");
  });
  afterEach(async () => {
    await dir.remove();
  });

  it("replays entries, the latest hard state and identity after a restart", () => {
    const wal = Wal.create(dir.path, meta);
    wal.save([entry(1, 1), entry(2, 1)], { term: 1, vote: 1, commit: 1 }, true);
    wal.save([entry(3, 2)], { term: 2, vote: 1, commit: 3 }, true);
    wal.close();
    const { wal: reopened, contents } = Wal.open(dir.path);
    reopened.close();
    expect(contents.metadata).toEqual(meta);
    expect(contents.entries.map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(contents.hardState).toEqual({ term: 2, vote: 1, commit: 3 });
    expect(contents.truncatedBytes).toBe(0);
  });

  it("lets a rewritten index replace the old suffix, as a new leader's entries do", () => {
    const wal = Wal.create(dir.path, meta);
    wal.save([entry(1, 1), entry(2, 1), entry(3, 1)], undefined, true);
    wal.save([entry(2, 2, "new")], undefined, true);
    wal.close();
    const { wal: reopened, contents } = Wal.open(dir.path);
    reopened.close();
    expect(contents.entries.map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("drops entries covered by a snapshot marker", () => {
    const wal = Wal.create(dir.path, meta);
    wal.save([entry(1, 1), entry(2, 1), entry(3, 1)], undefined, true);
    wal.saveSnapshot({ index: 2, term: 1, confState: { voters: [1], learners: [] } });
    wal.close();
    const { wal: reopened, contents } = Wal.open(dir.path);
    reopened.close();
    expect(contents.snapshot?.index).toBe(2);
    expect(contents.entries.map((e) => e.index)).toEqual([3]);
  });

  it("cuts off a torn last write and keeps everything before it", () => {
    const wal = Wal.create(dir.path, meta);
    wal.save([entry(1, 1), entry(2, 1)], { term: 1, vote: 0, commit: 2 }, true);
    wal.close();
    const [segment] = readdirSync(dir.path);
    const path = join(dir.path, segment as string);
    const goodSize = statSync(path).size;
    // A crash in the middle of appending entry 3: half a record at the end.
    const wal2 = Wal.open(dir.path).wal;
    wal2.save([entry(3, 1, "x".repeat(100))], undefined, true);
    wal2.close();
    truncateSync(path, goodSize + 40);
    const { wal: reopened, contents } = Wal.open(dir.path);
    expect(contents.truncatedBytes).toBe(40);
    expect(contents.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(statSync(path).size).toBe(goodSize);
    // The log is usable again: appends land after the cut.
    reopened.save([entry(3, 1)], undefined, true);
    reopened.close();
    expect(Wal.open(dir.path).contents.entries.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it("refuses a log damaged in the middle", () => {
    const wal = Wal.create(dir.path, meta);
    wal.save([entry(1, 1), entry(2, 1), entry(3, 1)], undefined, true);
    wal.close();
    const [segment] = readdirSync(dir.path);
    const path = join(dir.path, segment as string);
    const data = readFileSync(path);
    // Flip a byte inside entry 2's payload; entry 3 after it is intact.
    data[data.length - 30] = (data[data.length - 30] ?? 0) ^ 0xff;
    writeFileSync(path, data);
    expect(() => Wal.open(dir.path)).toThrow(WalCorruptError);
  });

  it("rotates segments, repeats the hard state in each, and releases old ones", () => {
    const wal = Wal.create(dir.path, meta, 200);
    for (let i = 1; i <= 20; i++) wal.save([entry(i, 1)], { term: 1, vote: 1, commit: i }, true);
    wal.saveSnapshot({ index: 15, term: 1, confState: { voters: [1], learners: [] } });
    const before = readdirSync(dir.path).length;
    expect(before).toBeGreaterThan(3);
    wal.releaseBefore(15);
    wal.close();
    expect(readdirSync(dir.path).length).toBeLessThan(before);
    const { wal: reopened, contents } = Wal.open(dir.path, 200);
    reopened.close();
    expect(contents.hardState?.commit).toBe(20);
    expect(contents.entries.map((e) => e.index)).toEqual([16, 17, 18, 19, 20]);
  });

  it("refuses to create a log over an existing one", () => {
    Wal.create(dir.path, meta).close();
    expect(() => Wal.create(dir.path, meta)).toThrow(/already holds a log/);
    appendFileSync(join(dir.path, "unrelated.txt"), "x");
  });
});
