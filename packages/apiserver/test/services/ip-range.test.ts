import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dynamicAddresses,
  firstAddress,
  formatIPv4,
  inRange,
  parseIPv4,
  parseIpRange,
  parsePortRange,
  pickFree,
} from "../../src/services/ip-range.js";
import {
  carryOverAllocations,
  heldAllocations,
  prepareServiceUpdate,
} from "../../src/services/service-needs.js";

describe("service IP ranges", () => {
  it("parses IPv4 CIDRs, clearing host bits, and refuses the rest", () => {
    const r = parseIpRange("10.0.0.7/24");
    expect(r).toEqual({
      ok: true,
      range: { cidr: "10.0.0.0/24", base: parseIPv4("10.0.0.0"), size: 256 },
    });
    if (!r.ok) return;
    expect(firstAddress(r.range)).toBe("10.0.0.1");
    expect(inRange(r.range, "10.0.0.0")).toBe(false); // network
    expect(inRange(r.range, "10.0.0.255")).toBe(false); // broadcast
    expect(inRange(r.range, "10.0.0.254")).toBe(true);
    expect(inRange(r.range, "10.0.1.1")).toBe(false);
    expect(dynamicAddresses(r.range)).toEqual({ first: parseIPv4("10.0.0.2"), count: 253 });
    expect(parseIpRange("fd00::/108").ok).toBe(false);
    expect(parseIpRange("10.0.0.0/31").ok).toBe(false);
    expect(parseIpRange("10.0.0.300/24").ok).toBe(false);
  });

  it("round-trips addresses", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(formatIPv4(parseIPv4(ip)!)).toBe(ip);
      }),
    );
  });

  it("parses node port ranges", () => {
    expect(parsePortRange("30000-32767")).toEqual({ ok: true, range: { base: 30000, size: 2768 } });
    expect(parsePortRange("32767-30000").ok).toBe(false);
    expect(parsePortRange("0-10").ok).toBe(false);
  });

  it("picks a free value in range whenever one is free", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 39 })),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (count, takenOffsets, r) => {
          const taken = new Set(takenOffsets.filter((o) => o < count).map((o) => 100 + o));
          const picked = pickFree(100, count, taken, () => r);
          if (taken.size === count) expect(picked).toBeUndefined();
          else {
            expect(picked).toBeGreaterThanOrEqual(100);
            expect(picked).toBeLessThan(100 + count);
            expect(taken.has(picked!)).toBe(false);
          }
        },
      ),
    );
  });
});

describe("service updates", () => {
  const svc = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Service", spec });
  const stored = svc({
    type: "NodePort",
    clusterIP: "10.0.0.5",
    clusterIPs: ["10.0.0.5"],
    ipFamilies: ["IPv4"],
    ipFamilyPolicy: "SingleStack",
    ports: [{ port: 80, protocol: "TCP", nodePort: 30080 }],
  });

  it("keeps what the body left out", () => {
    const next = carryOverAllocations(
      svc({ type: "NodePort", ports: [{ port: 80, protocol: "TCP" }] }),
      stored,
    );
    expect(next.spec).toEqual(stored.spec);
    expect(heldAllocations(next)).toEqual({ ip: "10.0.0.5", nodePorts: [30080] });
  });

  it("drops node ports for ClusterIP and the IP for ExternalName", () => {
    const cluster = prepareServiceUpdate(
      { ...stored, spec: { ...stored.spec, type: "ClusterIP" } },
      stored,
    );
    expect(heldAllocations(cluster)).toEqual({ ip: "10.0.0.5", nodePorts: [] });
    const external = prepareServiceUpdate(
      { ...stored, spec: { ...stored.spec, type: "ExternalName", externalName: "x.example" } },
      stored,
    );
    expect(heldAllocations(external)).toEqual({ nodePorts: [] });
    expect(external.spec).not.toHaveProperty("clusterIP");
  });
});
