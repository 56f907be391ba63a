import { createPrivateKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedKubeletCert } from "../src/index.js";

describe("selfSignedKubeletCert", () => {
  it("is a chain of a leaf for the node's names and the CA that signed it", () => {
    const now = new Date("2026-11-22T04:00:00Z");
    const { cert, key } = selfSignedKubeletCert("node-a", ["192.0.2.10"], now);
    const pems = cert.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    expect(pems).toHaveLength(2);
    const leaf = new X509Certificate(pems[0]!);
    const ca = new X509Certificate(pems[1]!);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(ca.subject).toBe(`CN=node-a-ca@${now.getTime() / 1000}`);
    expect(leaf.subjectAltName?.split(", ")).toEqual([
      "DNS:node-a",
      "DNS:localhost",
      "IP Address:127.0.0.1",
      "IP Address:192.0.2.10",
    ]);
    expect(leaf.checkHost("node-a")).toBe("node-a");
    expect(leaf.checkIP("192.0.2.10")).toBe("192.0.2.10");
  });
});
