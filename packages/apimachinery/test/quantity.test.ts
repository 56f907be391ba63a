import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addQuantities,
  compareQuantities,
  divideQuantities,
  formatQuantity,
  parseQuantity,
  QuantityError,
  quantityMilliValue,
  quantityValue,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
} from "../src/index.js";

const canonical = (text: string): string => formatQuantity(parseQuantity(text));

describe("parseQuantity", () => {
  it.each([
    ["1", 1n, 1000n],
    ["1500m", 2n, 1500n],
    ["0.1", 1n, 100n],
    [".5", 1n, 500n],
    ["5.", 5n, 5000n],
    ["1Ki", 1024n, 1_024_000n],
    ["1.5Gi", 1_610_612_736n, 1_610_612_736_000n],
    ["1G", 1_000_000_000n, 1_000_000_000_000n],
    ["1n", 1n, 1n],
    ["2e3", 2000n, 2_000_000n],
    ["1E", 10n ** 18n, 10n ** 21n],
    ["1E3", 1000n, 1_000_000n],
    ["-1500m", -1n, -1500n],
    ["+3", 3n, 3000n],
    ["250u", 1n, 1n],
    ["0.0001", 1n, 1n],
    ["123Mi", 128_974_848n, 128_974_848_000n],
    ["129e6", 129_000_000n, 129_000_000_000n],
  ])("reads %s exactly: Value %d, MilliValue %d", (text, value, milli) => {
    const q = parseQuantity(text);
    expect(quantityValue(q)).toBe(value);
    expect(quantityMilliValue(q)).toBe(milli);
  });

  it("reads JSON numbers as their text", () => {
    expect(quantityMilliValue(parseQuantity(2))).toBe(2000n);
    expect(quantityMilliValue(parseQuantity(0.25))).toBe(250n);
  });

  it.each([
    "",
    " 1",
    "1 ",
    "1.2.3",
    "1KiB",
    "1ki",
    "Ki",
    "1e",
    "e3",
    "1e1001",
    "--1",
    "0x10",
    "1Mm",
  ])("refuses %j with upstream's pattern in the message", (text) => {
    expect(tryParseQuantity(text)).toBeUndefined();
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    expect(() => parseQuantity(text)).toThrow(/must match the regular expression/);
  });

  it.each([
    ["1", "1000m", 0],
    ["0.5", "500m", 0],
    ["1Ki", "1024", 0],
    ["1Gi", "1G", 1],
    ["2E-3", "2m", 0],
    ["1n", "0", 1],
    ["1Mi", "1048576", 0],
    ["-1", "0", -1],
    ["1.5Gi", "1536Mi", 0],
  ])("compares %s with %s: %d", (a, b, expected) => {
    expect(compareQuantities(parseQuantity(a), parseQuantity(b))).toBe(expected);
  });

  it("compares exactly across suffixes", () => {
    const cmp = (a: string, b: string) => compareQuantities(parseQuantity(a), parseQuantity(b));
    expect(cmp("1", "1000m")).toBe(0);
    expect(cmp("1Gi", "1G")).toBe(1);
    expect(cmp("0.1", "100m")).toBe(0);
    expect(cmp("-1", "1n")).toBe(-1);
    expect(cmp("1e3", "1k")).toBe(0);
  });
});

describe("arithmetic", () => {
  it("adds and subtracts exactly, keeping the first non-zero operand's format", () => {
    const sum = addQuantities(parseQuantity("1Gi"), parseQuantity("512Mi"));
    expect(formatQuantity(sum)).toBe("1536Mi");
    expect(formatQuantity(addQuantities(parseQuantity("0"), parseQuantity("2Ki")))).toBe("2Ki");
    expect(formatQuantity(subtractQuantities(parseQuantity("1"), parseQuantity("250m")))).toBe(
      "750m",
    );
    expect(
      formatQuantity(sumQuantities(["100m", "200m", "0.7"].map((t) => parseQuantity(t)))),
    ).toBe("1");
    expect(formatQuantity(sumQuantities([]))).toBe("0");
  });

  it("divides rounding up, as the downward API reports resources", () => {
    expect(divideQuantities(parseQuantity("1Gi"), parseQuantity("1Mi"))).toBe(1024n);
    expect(divideQuantities(parseQuantity("250m"), parseQuantity("1m"))).toBe(250n);
    expect(divideQuantities(parseQuantity("1500m"), parseQuantity("1"))).toBe(2n);
    expect(divideQuantities(parseQuantity("100Mi"), parseQuantity("1Gi"))).toBe(1n);
    expect(divideQuantities(parseQuantity("3"), parseQuantity("2"))).toBe(2n);
    expect(() => divideQuantities(parseQuantity("1"), parseQuantity("0"))).toThrow(QuantityError);
  });
});

describe("formatQuantity: upstream's canonical text", () => {
  it.each([
    ["0", "0"],
    ["0Gi", "0"],
    ["1000m", "1"],
    ["0.5", "500m"],
    ["1.5k", "1500"],
    ["1.5M", "1500k"],
    ["1Ki", "1Ki"],
    ["2048Ki", "2Mi"],
    ["1.5Gi", "1536Mi"],
    ["1.5Ki", "1536"],
    ["0.5Ki", "512"],
    ["0.1Ki", "102400m"],
    ["1024", "1024"],
    ["0.001m", "1u"],
    ["0.1n", "1n"],
    ["100n", "100n"],
    ["1E", "1E"],
    ["1000E", "1000E"],
    ["1e3", "1e3"],
    ["12e6", "12e6"],
    ["5e-1", "500e-3"],
    ["-1.5Gi", "-1536Mi"],
    ["-0.5", "-500m"],
  ])("%s → %s", (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });
});

// Quantities with at most nano precision, in every format.
const anyQuantityText = fc.oneof(
  fc
    .tuple(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      fc.constantFrom("n", "u", "m", "", "k", "M", "G", "T", "P", "E"),
    )
    .map(([n, suffix]) => `${n}${suffix}`),
  fc
    .tuple(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      fc.constantFrom("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"),
    )
    .map(([n, suffix]) => `${n}${suffix}`),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: -9, max: 30 }))
    .map(([n, e]) => `${n}e${e}`),
  fc
    .tuple(fc.nat({ max: 10_000 }), fc.nat({ max: 999_999_999 }))
    .map(([whole, nanos]) => `${whole}.${String(nanos).padStart(9, "0")}`),
);

describe("properties", () => {
  it("the canonical text reads back as the same value, and is its own canonical text", () => {
    fc.assert(
      fc.property(anyQuantityText, (text) => {
        const q = parseQuantity(text);
        const printed = formatQuantity(q);
        const back = parseQuantity(printed);
        expect(compareQuantities(back, q)).toBe(0);
        expect(formatQuantity(back)).toBe(printed);
      }),
    );
  });

  it("milli values round up and add up", () => {
    fc.assert(
      fc.property(anyQuantityText, anyQuantityText, (a, b) => {
        const qa = parseQuantity(a);
        const qb = parseQuantity(b);
        const milli = quantityMilliValue(qa);
        // milli is the least integer m with m / 1000 >= qa.
        expect(compareQuantities(parseQuantity(`${milli}m`), qa)).toBeGreaterThanOrEqual(0);
        expect(compareQuantities(parseQuantity(`${milli - 1n}m`), qa)).toBe(-1);
        const sum = addQuantities(qa, qb);
        expect(compareQuantities(subtractQuantities(sum, qb), qa)).toBe(0);
        expect(compareQuantities(sum, addQuantities(qb, qa))).toBe(0);
      }),
    );
  });

  it("text outside the grammar is refused, never thrown as anything but QuantityError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const q = tryParseQuantity(text);
        if (q === undefined) expect(() => parseQuantity(text)).toThrow(QuantityError);
        else
          expect(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/.test(text)).toBe(
            true,
          );
      }),
    );
  });

  it("comparison is antisymmetric over whatever parses", () => {
    const quantityish = fc
      .array(
        fc.constantFrom("1", "0", "5", ".", "-", "+", "e", "E", "m", "k", "Ki", "Gi", "n", "9"),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(quantityish, quantityish, (a, b) => {
        const qa = tryParseQuantity(a);
        const qb = tryParseQuantity(b);
        if (qa && qb) expect(compareQuantities(qa, qb)).toBe(-compareQuantities(qb, qa) || 0);
      }),
      { numRuns: 500 },
    );
  });
});
