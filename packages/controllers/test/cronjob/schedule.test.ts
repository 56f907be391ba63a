import { describe, expect, it } from "vitest";
import { missedRuns, parseSchedule } from "../../src/cronjob/index.js";

const at = (s: string) => Date.parse(s);
const parse = (text: string, zone?: string) => {
  const r = parseSchedule(text, zone);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
};

describe("parseSchedule", () => {
  it("reads five fields and the macros", () => {
    expect(parse("*/15 * * * *").next(at("2026-03-01T00:31:00Z"))).toBe(at("2026-03-01T00:45:00Z"));
    expect(parse("@hourly").next(at("2026-03-01T00:31:00Z"))).toBe(at("2026-03-01T01:00:00Z"));
    expect(parse("@daily").next(at("2026-03-01T00:31:00Z"))).toBe(at("2026-03-02T00:00:00Z"));
    expect(parse("@weekly").next(at("2026-03-02T00:00:00Z"))).toBe(at("2026-03-08T00:00:00Z"));
    expect(parse("@monthly").next(at("2026-03-02T00:00:00Z"))).toBe(at("2026-04-01T00:00:00Z"));
    expect(parse("@yearly").next(at("2026-03-02T00:00:00Z"))).toBe(at("2027-01-01T00:00:00Z"));
  });

  it("matches day of month OR day of week when both are restricted, as Vixie cron", () => {
    // 2026-03-01 is a Sunday: the next Friday (the 6th) comes before the 13th.
    expect(parse("0 0 13 * 5").next(at("2026-03-01T00:00:00Z"))).toBe(at("2026-03-06T00:00:00Z"));
  });

  it("evaluates in spec.timeZone", () => {
    // 09:00 in Berlin is 08:00 UTC in March (CET, before the switch to summer time).
    expect(parse("0 9 * * *", "Europe/Berlin").next(at("2026-03-01T00:00:00Z"))).toBe(
      at("2026-03-01T08:00:00Z"),
    );
    expect(parse("0 9 * * *", "America/New_York").next(at("2026-03-01T00:00:00Z"))).toBe(
      at("2026-03-01T14:00:00Z"),
    );
  });

  it("refuses six fields, garbage and unknown zones with upstream's event reasons", () => {
    expect(parseSchedule("0 * * * * *")).toMatchObject({
      ok: false,
      reason: "UnparseableSchedule",
    });
    expect(parseSchedule("every day")).toMatchObject({ ok: false, reason: "UnparseableSchedule" });
    expect(parseSchedule("61 * * * *")).toMatchObject({ ok: false, reason: "UnparseableSchedule" });
    expect(parseSchedule("@fortnightly")).toMatchObject({
      ok: false,
      reason: "UnparseableSchedule",
    });
    expect(parseSchedule("* * * * *", "Mars/Olympus")).toMatchObject({
      ok: false,
      reason: "UnknownTimeZone",
    });
  });
});

describe("missedRuns", () => {
  it("finds the most recent run in (earliest, now] and counts them", () => {
    expect(
      missedRuns(parse("*/10 * * * *"), at("2026-03-01T00:00:00Z"), at("2026-03-01T00:35:00Z")),
    ).toEqual({
      mostRecent: at("2026-03-01T00:30:00Z"),
      count: 3,
    });
    expect(
      missedRuns(parse("@hourly"), at("2026-03-01T00:00:00Z"), at("2026-03-01T00:35:00Z")),
    ).toEqual({ count: 0 });
  });

  it("stops counting past 100 but still finds the latest run", () => {
    const r = missedRuns(
      parse("* * * * *"),
      at("2026-01-01T00:00:00Z"),
      at("2026-03-01T12:34:30Z"),
    );
    expect(r.count).toBe(101);
    expect(r.mostRecent).toBe(at("2026-03-01T12:34:00Z"));
  });
});
