import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type DataDrivenCase,
  dd,
  parseDataDriven,
  parseDirective,
  rewriteDataDriven,
  runDataDriven,
} from "../src/index.js";

describe("parseDirective", () => {
  it("splits bare, single and list arguments", () => {
    const { command, args } = parseDirective("cmd 1 two k=v list=(a,b) flat=c,d empty=");
    expect(command).toBe("cmd");
    expect(args).toEqual([
      { key: "1", values: [] },
      { key: "two", values: [] },
      { key: "k", values: ["v"] },
      { key: "list", values: ["a", "b"] },
      { key: "flat", values: ["c", "d"] },
      { key: "empty", values: [] },
    ]);
  });
});

describe("parseDataDriven", () => {
  const text = [
    "# comment",
    "a x=1",
    "in",
    "----",
    "out1",
    "out2",
    "",
    "b",
    "----",
    "",
    "c",
    "----",
    "----",
    "p",
    "",
    "q",
    "----",
    "----",
    "",
  ].join("\n");

  it("finds cases, inputs, outputs and fenced outputs", () => {
    const f = parseDataDriven("t.txt", text);
    expect(f.cases.map((c) => c.command)).toEqual(["a", "b", "c"]);
    const [a, b, c] = f.cases as [DataDrivenCase, DataDrivenCase, DataDrivenCase];
    expect(a.input).toBe("in");
    expect(a.expected).toBe("out1\nout2");
    expect(a.pos).toBe("t.txt:2");
    expect(dd.int(a, "x")).toBe(1);
    expect(b.expected).toBe("");
    expect(c.expected).toBe("p\n\nq");
  });

  it("rewrites outputs in place and keeps comments", () => {
    const f = parseDataDriven("t.txt", text);
    const again = rewriteDataDriven(f, ["new", "", "x\n\ny"]);
    const g = parseDataDriven("t.txt", again);
    expect(again.startsWith("# comment\na x=1\nin\n----\nnew\n")).toBe(true);
    expect(g.cases.map((c) => c.expected)).toEqual(["new", "", "x\n\ny"]);
  });

  it("rejects a directive without a separator", () => {
    expect(() => parseDataDriven("bad.txt", "cmd\nno separator\n")).toThrow(/bad.txt:1/);
  });
});

describe("runDataDriven", () => {
  let stored = "";
  runDataDriven(join(import.meta.dirname, "testdata", "calc.txt"), (tc) => {
    switch (tc.command) {
      case "add": {
        const a = (dd.values(tc, "a") ?? []).reduce((s, v) => s + Number(v), 0);
        return String(a + (dd.int(tc, "b") ?? 0));
      }
      case "echo":
        return tc.input;
      case "store":
        stored = dd.positional(tc)[0] ?? "";
        return "ok";
      case "recall":
        return stored;
      default:
        throw new Error(`${tc.pos}: unknown command ${tc.command}`);
    }
  });
});
