import { describe, expect, it } from "vitest";
import {
  QuantityParseError,
  quantityDivide,
  quantityMilliValue,
  quantityValue,
} from "../src/index.js";

describe("quantities", () => {
  it.each([
    ["100m", 100n],
    ["0.1", 100n],
    ["1", 1000n],
    ["1.5", 1500n],
    [2, 2000n],
    ["1k", 1_000_000n],
    ["0.0001", 1n], // rounds up
    ["1e3", 1_000_000n],
    ["250u", 1n],
  ])("milli value of %s is %s", (quantity, milli) => {
    expect(quantityMilliValue(quantity)).toBe(milli);
  });

  it.each([
    ["64Mi", 67_108_864n],
    ["1Gi", 1_073_741_824n],
    ["1G", 1_000_000_000n],
    ["128974848", 128_974_848n],
    ["129e6", 129_000_000n],
    ["123Mi", 128_974_848n],
    ["1500m", 2n], // rounds up
    ["1Ki", 1024n],
  ])("value of %s is %s", (quantity, value) => {
    expect(quantityValue(quantity)).toBe(value);
  });

  it.each([
    ["250m", "1", 1n],
    ["250m", "1m", 250n],
    ["1Gi", "1Mi", 1024n],
    ["100Mi", "1Gi", 1n],
    ["3", "2", 2n],
  ])("%s / %s rounds up to %s", (quantity, divisor, result) => {
    expect(quantityDivide(quantity, divisor)).toBe(result);
  });

  it.each(["", "abc", "1.2.3", "1Mib", "--1"])("rejects %j", (text) => {
    expect(() => quantityValue(text)).toThrow(QuantityParseError);
  });
});
