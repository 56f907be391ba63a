import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { majorityCommitted, majorityVoteResult, VoteResult } from "../src/index.js";

const voterMatches = fc
  .uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 9 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.nat({ max: 1000 }), { minLength: ids.length, maxLength: ids.length }),
    ),
  );

describe("majorityCommitted", () => {
  it("is the largest index a majority has reached", () => {
    fc.assert(
      fc.property(voterMatches, ([ids, matches]) => {
        const byId = new Map(ids.map((id, i) => [id, matches[i] ?? 0]));
        const c = majorityCommitted(new Set(ids), (id) => byId.get(id));
        const q = Math.floor(ids.length / 2) + 1;
        // At least a quorum has reached c...
        expect(matches.filter((m) => m >= c).length).toBeGreaterThanOrEqual(q);
        // ...and no larger index is reached by a quorum.
        expect(matches.filter((m) => m >= c + 1).length).toBeLessThan(q);
      }),
    );
  });

  it("counts missing voters as 0 and commits nothing without voters", () => {
    expect(majorityCommitted(new Set([1, 2, 3]), (id) => (id === 1 ? 5 : undefined))).toBe(0);
    expect(majorityCommitted(new Set([1, 2, 3]), (id) => (id === 3 ? undefined : 7))).toBe(7);
    expect(majorityCommitted(new Set(), () => 9)).toBe(0);
  });
});

describe("majorityVoteResult", () => {
  it("agrees with counting by hand", () => {
    const votes = fc.array(fc.constantFrom<boolean | undefined>(true, false, undefined), {
      minLength: 1,
      maxLength: 9,
    });
    fc.assert(
      fc.property(votes, (vs) => {
        const voters = new Set(vs.map((_, i) => i + 1));
        const cast = new Map<number, boolean>();
        vs.forEach((v, i) => {
          if (v !== undefined) cast.set(i + 1, v);
        });
        // A vote from a non-voter must not count.
        cast.set(100, true);
        const yes = vs.filter((v) => v === true).length;
        const missing = vs.filter((v) => v === undefined).length;
        const q = Math.floor(vs.length / 2) + 1;
        const want =
          yes >= q ? VoteResult.Won : yes + missing >= q ? VoteResult.Pending : VoteResult.Lost;
        expect(majorityVoteResult(voters, cast)).toBe(want);
      }),
    );
  });
});
