import { describe, expect, it } from "vitest";
import {
  formatLabelSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorMatches,
} from "../../src/meta/labels.js";

describe("label selectors", () => {
  it("parses and matches every operator of the string form", () => {
    const selector = parseLabelSelector("app=web, tier!=db, env in (prod, staging), !legacy, team");
    expect(selector.map((r) => r.operator)).toEqual([
      "Equals",
      "NotEquals",
      "In",
      "DoesNotExist",
      "Exists",
    ]);
    expect(selectorMatches(selector, { app: "web", env: "prod", team: "a" })).toBe(true);
    expect(selectorMatches(selector, { app: "web", env: "dev", team: "a" })).toBe(false);
    expect(selectorMatches(selector, { app: "web", env: "prod", team: "a", legacy: "1" })).toBe(
      false,
    );
    expect(selectorMatches(selector, { app: "web", env: "prod" })).toBe(false);
    expect(selectorMatches(parseLabelSelector("x notin (a)"), {})).toBe(true);
    expect(selectorMatches(parseLabelSelector(""), undefined)).toBe(true);
    expect(() => parseLabelSelector("a b c")).toThrow(/cannot parse/);
  });

  it("converts a metav1.LabelSelector, and renders it as the apiserver's string form", () => {
    const labelSelector = {
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "env", operator: "NotIn" as const, values: ["dev", "test"] }],
    };
    const selector = selectorFromLabelSelector(labelSelector);
    expect(selectorMatches(selector, { app: "web", env: "prod" })).toBe(true);
    expect(selectorMatches(selector, { app: "web", env: "dev" })).toBe(false);
    expect(formatLabelSelector(labelSelector)).toBe("app=web,env notin (dev,test)");
    expect(parseLabelSelector(formatLabelSelector(labelSelector))).toEqual(selector);
    expect(() =>
      selectorFromLabelSelector({ matchExpressions: [{ key: "k", operator: "In" }] }),
    ).toThrow(/needs values/);
  });
});
