import { describe, expect, it } from "vitest";
import { labelSelectorFromObject, parseLabelSelector } from "../src/index.js";

function parse(s: string) {
  const r = parseLabelSelector(s);
  if (!r.ok) throw new Error(`unexpected parse error: ${r.message}`);
  return r.selector;
}

describe("parseLabelSelector", () => {
  // [input, canonical string form]
  it.each([
    ["", ""],
    ["x=a", "x=a"],
    ["x==a", "x==a"],
    ["x!=a", "x!=a"],
    ["y=a,x=b", "x=b,y=a"],
    ["x in (b,a)", "x in (a,b)"],
    ["x notin (a)", "x notin (a)"],
    ["x", "x"],
    ["!x", "!x"],
    [" x = a , y ", "x=a,y"],
    ["x>1", "x>1"],
    ["x<1", "x<1"],
    ["x=", "x="],
    ["x in (a,)", "x in (,a)"],
    ["x in ()", "x in ()"],
    ["example.com/app=web", "example.com/app=web"],
    ["in=notin", "in=notin"],
  ])("parses %j", (input, canonical) => {
    expect(parse(input).toString()).toBe(canonical);
  });

  it.each([
    ["x=a,", "found '', expected: identifier after ','"],
    ["x=a b", "found 'b', expected: ',' or 'end of string'"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["x foo a", "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt"],
    ["x=a=b", "found '=', expected: ',' or 'end of string'"],
    ["!x=a", "found '=', expected: ',' or 'end of string'"],
    [
      "x>a",
      "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ["x=a b c", "found 'b', expected: ',' or 'end of string'"],
    ["x=!", "unable to parse requirement: found '!', expected: identifier"],
  ])("rejects %j", (input, message) => {
    const r = parseLabelSelector(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe(message);
  });

  it("rejects bad keys and values with upstream's wording", () => {
    const badKey = parseLabelSelector("-x=a");
    expect(badKey.ok).toBe(false);
    if (!badKey.ok)
      expect(badKey.message).toMatch(
        /^unable to parse requirement: <nil>: Invalid value: "-x": name part must consist/,
      );
    const badValue = parseLabelSelector("x=-a");
    expect(badValue.ok).toBe(false);
    if (!badValue.ok)
      expect(badValue.message).toMatch(
        /^unable to parse requirement: values\[0\]\[x\]: Invalid value: "-a": a valid label must be/,
      );
  });

  const labels = { app: "web", tier: "fe", replicas: "3" };
  it.each([
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=db", true],
    ["app in (web,db)", true],
    ["app notin (web)", false],
    ["missing notin (web)", true],
    ["app", true],
    ["missing", false],
    ["!missing", true],
    ["!app", false],
    ["replicas>2", true],
    ["replicas>3", false],
    ["replicas<4", true],
    ["app>1", false],
    ["app=web,tier=be", false],
    ["app=web,tier in (fe)", true],
  ])("%j matches: %s", (input, expected) => {
    expect(parse(input).matches(labels)).toBe(expected);
  });
});

describe("labelSelectorFromObject", () => {
  it("null selects nothing, empty selects everything", () => {
    const none = labelSelectorFromObject(null);
    expect(none.ok && none.selector.matches({ a: "b" })).toBe(false);
    const all = labelSelectorFromObject({});
    expect(all.ok && all.selector.matches({})).toBe(true);
    expect(all.ok && all.selector.empty()).toBe(true);
  });

  it("combines matchLabels and matchExpressions", () => {
    const r = labelSelectorFromObject({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["fe", "be"] },
        { key: "canary", operator: "DoesNotExist" },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.selector.toString()).toBe("app=web,!canary,tier in (be,fe)");
    expect(r.selector.matches({ app: "web", tier: "fe" })).toBe(true);
    expect(r.selector.matches({ app: "web", tier: "fe", canary: "1" })).toBe(false);
  });

  it("rejects unknown operators and misplaced values", () => {
    expect(
      labelSelectorFromObject({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }),
    ).toEqual({
      ok: false,
      message: '"Gt" is not a valid label selector operator',
    });
    const r = labelSelectorFromObject({
      matchExpressions: [{ key: "a", operator: "Exists", values: ["1"] }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toContain("values set must be empty for exists and does not exist");
    const empty = labelSelectorFromObject({
      matchExpressions: [{ key: "a", operator: "In", values: [] }],
    });
    expect(empty.ok).toBe(false);
  });
});

describe("requirement errors", () => {
  it("reports every problem, aggregated, as upstream's NewRequirement", () => {
    const r = labelSelectorFromObject({
      matchExpressions: [{ key: "-bad", operator: "In", values: [] }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^\[key: Invalid value: "-bad": name part must consist/);
      expect(r.message).toContain(
        `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty]`,
      );
    }
  });
});
