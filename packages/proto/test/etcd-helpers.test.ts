import { describe, expect, it } from "vitest";
import { bytes, prefixEnd } from "./etcd-helpers.js";

describe("prefixEnd", () => {
  it("increments the last byte of an ordinary prefix", () => {
    expect(prefixEnd(bytes("/registry/pods/"))).toEqual(bytes("/registry/pods0"));
  });

  it("drops trailing 0xff bytes and increments the byte before them", () => {
    expect(prefixEnd(new Uint8Array([0x61, 0xff, 0xff]))).toEqual(new Uint8Array([0x62]));
  });

  it("returns the single zero byte (no upper bound) when every byte is 0xff or there are none", () => {
    expect(prefixEnd(new Uint8Array([0xff, 0xff]))).toEqual(new Uint8Array([0]));
    expect(prefixEnd(new Uint8Array())).toEqual(new Uint8Array([0]));
  });

  it("does not modify its argument", () => {
    const prefix = bytes("ab");
    prefixEnd(prefix);
    expect(prefix).toEqual(bytes("ab"));
  });
});
