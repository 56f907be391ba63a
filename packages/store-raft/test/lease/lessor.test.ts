import { describe, expect, it } from "vitest";
import {
  LeaseExistsError,
  LeaseNotFoundError,
  LeaseTtlTooLargeError,
  Lessor,
  NotPrimaryLessorError,
} from "../../src/lease/index.js";

describe("Lessor", () => {
  it("grants with a minimum TTL and refuses duplicates and huge TTLs", () => {
    const lessor = new Lessor(5);
    expect(lessor.grant(1n, 2, 0)).toBe(5);
    expect(lessor.grant(2n, 60, 0)).toBe(60);
    expect(() => lessor.grant(1n, 10, 0)).toThrow(LeaseExistsError);
    expect(() => lessor.grant(3n, 9_000_000_001, 0)).toThrow(LeaseTtlTooLargeError);
    expect(lessor.list().sort()).toEqual([1n, 2n]);
  });

  it("expires only on the primary, after the TTL, and renewals push expiry back", () => {
    const lessor = new Lessor(1);
    lessor.grant(7n, 10, 0);
    expect(lessor.expired(1_000_000)).toEqual([]); // not primary: nothing expires
    expect(() => lessor.renew(7n, 0)).toThrow(NotPrimaryLessorError);
    lessor.promote(1_000);
    expect(lessor.expired(10_999)).toEqual([]);
    expect(lessor.expired(11_000)).toEqual([7n]);
    expect(lessor.renew(7n, 8_000)).toBe(10);
    expect(lessor.expired(17_999)).toEqual([]);
    expect(lessor.timeToLive(7n, 12_500)).toMatchObject({ grantedTtl: 10, remainingTtl: 6 });
  });

  it("gives every lease its full TTL again when a new leader takes over", () => {
    const lessor = new Lessor(1);
    lessor.promote(0);
    lessor.grant(1n, 10, 0);
    // Nine seconds in, leadership moves away and back: the lease is not about
    // to expire on the new leader.
    lessor.demote();
    expect(lessor.timeToLive(1n, 9_000).remainingTtl).toBe(10);
    lessor.promote(9_000, 500);
    expect(lessor.expired(18_999)).toEqual([]);
    expect(lessor.expired(19_500)).toEqual([1n]);
  });

  it("tracks attached keys and hands them back on revoke", () => {
    const lessor = new Lessor(1);
    lessor.grant(1n, 10, 0);
    lessor.attach(1n, "b");
    lessor.attach(1n, "a");
    lessor.attach(1n, "c");
    lessor.detach(1n, "c");
    expect(lessor.timeToLive(1n, 0).keys).toEqual(["a", "b"]);
    expect(lessor.revoke(1n)).toEqual(["a", "b"]);
    expect(lessor.has(1n)).toBe(false);
    expect(() => lessor.revoke(1n)).toThrow(LeaseNotFoundError);
    expect(() => lessor.attach(1n, "x")).toThrow(LeaseNotFoundError);
  });

  it("round-trips the replicated state, without expiry times", () => {
    const lessor = new Lessor(1);
    lessor.promote(0);
    lessor.grant(5n, 30, 0);
    lessor.attach(5n, "k");
    const copy = Lessor.fromState(lessor.exportState(), 1);
    expect(copy.isPrimary).toBe(false);
    expect(copy.timeToLive(5n, 0)).toEqual(lessor.timeToLive(5n, 0));
    expect(copy.expired(1e12)).toEqual([]);
  });
});
