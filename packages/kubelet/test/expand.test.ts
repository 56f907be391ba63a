import { describe, expect, it } from "vitest";
import { expandVariables } from "../src/index.js";

const vars: Record<string, string> = { A: "alpha", B: "beta", EMPTY: "" };
const lookup = (name: string) => vars[name];

describe("$(VAR) expansion", () => {
  it.each([
    ["plain", "plain"],
    ["$(A)", "alpha"],
    ["x-$(A)-$(B)-y", "x-alpha-beta-y"],
    ["$(MISSING)", "$(MISSING)"],
    ["$$(A)", "$(A)"],
    ["$$", "$"],
    ["$(A", "$(A"],
    ["$A", "$A"],
    ["end$", "end$"],
    ["$()", "$()"],
    ["[$(EMPTY)]", "[]"],
    ["$(A)$(A)", "alphaalpha"],
    ["$$$(A)", "$alpha"],
  ])("%j → %j", (input, output) => {
    expect(expandVariables(input, lookup)).toBe(output);
  });
});
