import { QuantityError } from "@kubekit/apimachinery";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMilliValue, parseValue } from "../src/api/quantity.js";

describe("parseQuantity", () => {
  it.each([
    ["100m", 0.1 * 1000, 1],
    ["2", 2000, 2],
    ["1Gi", 1073741824000, 1073741824],
    ["512Mi", 536870912000, 536870912],
    ["1e3", 1000000, 1000],
    ["1E", 1e21, 1e18],
    ["1.5", 1500, 2],
    ["0.5Gi", 536870912000, 536870912],
    ["1k", 1000000, 1000],
    ["1M", 1e9, 1e6],
    ["250u", 1, 1],
    ["1n", 1, 1],
    ["-1", -1000, -1],
    ["+3", 3000, 3],
    [".5", 500, 1],
    ["5.", 5000, 5],
    ["1.5e-3", 2, 1],
    ["0", 0, 0],
  ])("%s → %d milli, %d units", (text, milli, value) => {
    expect(parseMilliValue(text)).toBe(milli);
    expect(parseValue(text)).toBe(value);
  });

  it.each(["", "abc", "1Gb", "1.2.3", "1 Gi", "Gi", ".", "1ki", "e3", "1e"])(
    "rejects %j",
    (text) => {
      expect(() => parseValue(text)).toThrow(QuantityError);
    },
  );

  it("reads integer millis written with the m suffix exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (n) => {
        expect(parseMilliValue(`${n}m`)).toBe(n);
        expect(parseValue(`${n}m`)).toBe(Math.ceil(n / 1000));
      }),
    );
  });

  it("scales binary suffixes by powers of 1024", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), (n) => {
        expect(parseValue(`${n}Ki`)).toBe(n * 1024);
        expect(parseValue(`${n}Mi`)).toBe(n * 1024 ** 2);
        expect(parseValue(`${n}Gi`)).toBe(n * 1024 ** 3);
      }),
    );
  });

  it("gives the same value for decimal-SI and exponent spellings", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        expect(parseValue(`${n}k`)).toBe(parseValue(`${n}e3`));
        expect(parseValue(`${n}M`)).toBe(parseValue(`${n}E6`));
        expect(parseMilliValue(`${n}m`)).toBe(parseMilliValue(`${n}e-3`));
      }),
    );
  });

  it("rounds decimal fractions up, never down", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 9999 }),
        (w, f) => {
          // w.ffff: whole units round up unless the fraction is zero; millis round up the last digit.
          const text = `${w}.${String(f).padStart(4, "0")}`;
          expect(parseValue(text)).toBe(f === 0 ? w : w + 1);
          expect(parseMilliValue(text)).toBe(w * 1000 + Math.ceil(f / 10));
        },
      ),
    );
  });
});
